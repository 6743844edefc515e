package io.slipway.controller.dyno;

import io.slipway.controller.db.Database;
import io.slipway.controller.docker.Labels;
import io.slipway.controller.loop.ReconcileLoop;
import io.slipway.controller.release.Release;
import io.slipway.controller.release.ReleaseService;
import io.slipway.controller.release.ReleaseState;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dyno manager: a level-triggered reconcile loop, and the doing half of it. Each pass, per app,
 * it observes (the containers carrying this platform's labels, the dyno rows of the last pass,
 * which new web dynos accept connections), asks {@link DynoPlanner} what to do, and does it:
 * starts and restarts containers, stops what is no longer wanted, and writes the rows and the
 * target release's move (live, or failed with its dyno's last lines) in one transaction. Because
 * it reads the actual state from the engine each time, a restarted controller adopts running
 * dynos instead of restarting them, and continues a rollout where it was.
 */
public final class DynoManager extends ReconcilingDynos {
    private static final Logger log = LoggerFactory.getLogger(DynoManager.class);
    /** How soon a pass looks again while a dyno is starting. */
    private static final Duration STARTING_POLL = Duration.ofMillis(250);

    /**
     * The manager's tunables, from the controller's configuration. {@code settle}: how long a dyno
     * without a port must keep running before its release counts as booted.
     */
    public record Settings(Duration tick, Duration grace, Duration bootTimeout, Duration settle, Backoff backoff,
                           int maxPerType, Duration drain) {}

    private final DynoRuntime runtime;
    private final DynoPlanner planner;
    private final Settings settings;
    private final String platform;
    private final Set<String> stopping = ConcurrentHashMap.newKeySet();

    public DynoManager(Database db, ReleaseService releases, DynoRuntime runtime, Clock clock, Settings settings,
                       String platform) {
        super("dyno-manager", new DynoStore(db, releases), clock, settings.tick());
        this.runtime = runtime;
        this.settings = settings;
        this.platform = platform;
        this.planner = new DynoPlanner(platform, settings.bootTimeout(), settings.settle(), settings.backoff());
    }

    /**
     * One pass over every app. A failure of one app's pass is logged and the others go on; a
     * failure to read the engine or the database ends the pass, and {@link ReconcileLoop} logs a
     * run of those once (not every tick during a database restart) and tries again.
     */
    @Override
    protected void tick() {
        List<DynoRuntime.Container> all = runtime.list();
        Map<String, List<DynoRuntime.Container>> byApp = new HashMap<>();
        for (var c : all) {
            byApp.computeIfAbsent(c.labels().getOrDefault(Labels.APP, ""), k -> new ArrayList<>()).add(c);
        }
        Set<String> known = new HashSet<>();
        for (DynoStore.Desired d : store.desired()) {
            known.add(d.app());
            try {
                reconcile(d, byApp.getOrDefault(d.app(), List.of()));
            } catch (RuntimeException e) {
                // One line per failed pass: a database or engine outage repeats it every tick.
                log.warn("app={} reconcile failed: {}", d.app(), e.toString());
                log.debug("app={} reconcile failure", d.app(), e);
            }
        }
        byApp.forEach((app, containers) -> {
            if (!known.contains(app)) {
                containers.forEach(c -> stopInBackground(app, c, "its app is gone or has no release booting or live"));
                store.forget(app);
            }
        });
    }

    void reconcile(DynoStore.Desired d, List<DynoRuntime.Container> containers) {
        Map<String, DynoStore.Row> before = store.rows(d.appId());
        Set<String> accepting = probe(containers, before);
        DynoPlanner.Plan plan = planner.plan(d, containers, before, accepting, Set.copyOf(stopping), clock.instant());
        DynoStore.ReleaseRef target = d.target();

        Map<String, DynoStore.Row> after = new LinkedHashMap<>(plan.rows());
        Optional<DynoStore.ReleaseMove> move = ReleaseMoves.of(plan.outcome(), this::failure);
        String startFailure = start(d, target, plan.starts(), after);
        if (startFailure != null && move.isEmpty() && target.state() == ReleaseState.BOOTING) {
            move = Optional.of(new DynoStore.ReleaseMove(target.version(), ReleaseState.BOOTING, ReleaseState.FAILED,
                    startFailure));
        }
        for (DynoRuntime.Container c : plan.restarts()) {
            try {
                runtime.restart(c.id());
                log.info("app={} dyno={} restarting after a crash", d.app(), c.name());
            } catch (RuntimeException e) {
                log.warn("app={} dyno={} restart failed: {}", d.app(), c.name(), e.getMessage());
            }
        }
        plan.stops().forEach(stop -> stopInBackground(d.app(), stop.container(), stop.why()));
        for (DynoPlanner.Event e : plan.events()) {
            log.info("app={} dyno={} {}", d.app(), e.dyno(), e.text());
            events.event(d.app(), e.dyno(), e.text());
        }
        store.save(d.appId(), before, after, move);
        move.ifPresent(m -> ReleaseMoves.announce(log, events, d.app(), m, d.live()));
        if (move.isPresent() || !plan.starts().isEmpty()) {
            wake(); // stop the losers, or look at the new dynos, now rather than a tick later
        } else if (after.values().stream().anyMatch(r -> r.state() == DynoState.STARTING)) {
            // A dyno that binds its port in 300 ms should not wait out a whole tick to be routed.
            loop.wakeIn(STARTING_POLL);
        }
    }

    /** Which of the web dynos not yet known up accept connections now, asked in parallel (each takes up to 650 ms). */
    private Set<String> probe(List<DynoRuntime.Container> containers, Map<String, DynoStore.Row> before) {
        Map<String, java.util.concurrent.Future<Boolean>> asked = new LinkedHashMap<>();
        for (DynoRuntime.Container c : containers) {
            if (DynoPlanner.needsProbe(c, before.get(c.name())) && !stopping.contains(c.id())) {
                asked.put(c.name(), background.submit(() -> runtime.accepts(c.hostPort())));
            }
        }
        Set<String> accepting = new HashSet<>();
        asked.forEach((name, answer) -> {
            try {
                if (answer.get()) {
                    accepting.add(name);
                }
            } catch (Exception e) {
                log.debug("probe of {} failed", name, e);
            }
        });
        return accepting;
    }

    /**
     * Starts what the plan says, in parallel (scaling to ten should not take ten times one start),
     * adding a {@code starting} row for each. Returns why a dyno of the target could not start, or null.
     */
    private String start(DynoStore.Desired d, DynoStore.ReleaseRef target, List<DynoPlanner.Start> starts,
                         Map<String, DynoStore.Row> after) {
        List<java.util.concurrent.Future<DynoRuntime.Container>> started = new ArrayList<>();
        for (DynoPlanner.Start s : starts) {
            started.add(background.submit(() -> runtime.start(spec(d, target, s.key(), s.generation(), s.name()))));
        }
        String failure = null;
        for (int i = 0; i < starts.size(); i++) {
            DynoPlanner.DynoKey key = starts.get(i).key();
            try {
                DynoRuntime.Container c = started.get(i).get();
                after.put(c.name(), new DynoStore.Row(c.name(), key.type(), key.index(), key.release(), c.id(),
                        c.hostPort(), DynoState.STARTING, false, 0, null,
                        c.startedAt() != null ? c.startedAt() : clock.instant()));
                log.info("app={} release=v{} dyno={} starting", d.app(), key.release(), key.dynoName());
                events.event(d.app(), key.dynoName(), "Starting process with command `"
                        + target.processTypes().get(key.type()) + "`");
            } catch (Exception e) {
                String why = e instanceof java.util.concurrent.ExecutionException ee && ee.getCause() != null
                        ? ee.getCause().getMessage() : e.getMessage();
                log.warn("app={} release=v{} dyno={} failed to start: {}", d.app(), key.release(), key.dynoName(), why);
                if (failure == null) {
                    failure = key.dynoName() + " could not start: " + why;
                }
            }
        }
        return failure;
    }

    /** A failed boot's story: which dyno, how it ended, and its last lines, as the push and {@code releases:info} show it. */
    private String failure(DynoPlanner.Outcome.Failed f) {
        List<String> lines;
        try {
            lines = runtime.lastLines(f.containerId(), Release.FAILURE_LINES);
        } catch (RuntimeException e) {
            lines = List.of("(its output could not be read: " + e.getMessage() + ")");
        }
        return Release.failure(f.reason(), lines);
    }

    private void stopInBackground(String app, DynoRuntime.Container c, String why) {
        if (!stopping.add(c.id())) {
            return;
        }
        log.info("app={} dyno={} stopping: {}", app, c.name(), why);
        if (DynoPlanner.DynoKey.of(c.labels()) != null) {
            events.event(app, dynoName(c), "Stopping: " + why);
        }
        background.execute(() -> {
            try {
                // Its row is gone (so routers drop it) before the stop: let them hear that first, and
                // let requests already on their way finish, then SIGTERM.
                Thread.sleep(settings.drain().toMillis());
                runtime.stopAndRemove(c.id(), settings.grace());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                log.warn("app={} dyno={} stop failed: {}", app, c.name(), e.getMessage());
            } finally {
                stopping.remove(c.id());
                wake();
            }
        });
    }

    private DynoRuntime.Spec spec(DynoStore.Desired d, DynoStore.ReleaseRef release, DynoPlanner.DynoKey key, int generation,
                                  String name) {
        Map<String, String> env = new LinkedHashMap<>(release.config());
        env.put("PORT", Integer.toString(DynoPlanner.DYNO_PORT));
        env.put("DYNO", key.dynoName());
        env.put("HOME", "/app");
        env.put("SLIPWAY_APP", d.app());
        env.put("SLIPWAY_RELEASE", "v" + release.version());
        env.put("SLIPWAY_COMMIT", release.commit() == null ? "" : release.commit());
        Map<String, String> labels = Map.of(Labels.PLATFORM, platform, Labels.APP, d.app(),
                Labels.ROLE, Labels.ROLE_DYNO, Labels.TYPE, key.type(), Labels.INDEX, Integer.toString(key.index()),
                Labels.RELEASE, Integer.toString(key.release()), Labels.GENERATION, Integer.toString(generation));
        DynoSize size = DynoSize.of(d.sizes().getOrDefault(key.type(), DynoSize.STANDARD.label()));
        return new DynoRuntime.Spec(name, release.image(), release.processTypes().get(key.type()), env, labels,
                key.web(), DynoPlanner.DYNO_PORT, size.memoryBytes(), size.pidsLimit());
    }

    private static String dynoName(DynoRuntime.Container c) {
        DynoPlanner.DynoKey key = DynoPlanner.DynoKey.of(c.labels());
        return key == null ? c.name() : key.dynoName();
    }

    /** Stops and removes every dyno of an app that is being destroyed, before its image goes. */
    @Override
    public void removeApp(String app) {
        List<java.util.concurrent.Future<?>> stops = new ArrayList<>();
        for (DynoRuntime.Container c : runtime.list()) {
            if (app.equals(c.labels().get(Labels.APP)) && stopping.add(c.id())) {
                stops.add(background.submit(() -> {
                    try {
                        runtime.stopAndRemove(c.id(), settings.grace());
                    } finally {
                        stopping.remove(c.id());
                    }
                }));
            }
        }
        for (var f : stops) {
            try {
                f.get();
            } catch (Exception e) {
                log.warn("app={} a dyno did not stop cleanly: {}", app, e.getMessage());
            }
        }
    }
}
