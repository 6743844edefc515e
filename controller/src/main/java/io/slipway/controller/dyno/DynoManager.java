package io.slipway.controller.dyno;

import io.slipway.controller.build.BuildOutput;
import io.slipway.controller.docker.DockerEngine;
import io.slipway.controller.logs.LogSink;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dyno manager: a level-triggered reconcile loop. Desired = each app's target release and
 * formation; actual = the containers carrying this platform's labels. Every tick it starts what is
 * missing, checks boots, restarts crashes with backoff, switches routes once a new release's web
 * dynos all accept connections, and stops what is no longer wanted. Because it reads the actual
 * state from the engine each time, a restarted controller adopts running dynos instead of restarting them.
 */
public final class DynoManager implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DynoManager.class);
    static final String LABEL_TYPE = "io.slipway.type";
    static final String LABEL_INDEX = "io.slipway.index";
    static final String LABEL_RELEASE = "io.slipway.release";
    /** The port every web dyno's app binds inside its container ({@code $PORT}). */
    static final int DYNO_PORT = 5000;
    private static final Duration RESET_RESTARTS_AFTER = Duration.ofMinutes(10);

    /** The manager's tunables, from the controller's configuration. */
    public record Settings(Duration tick, Duration grace, Duration bootTimeout, Backoff backoff, int maxPerType,
                           Duration drain) {}

    private final DynoStore store;
    private final DynoRuntime runtime;
    private final Clock clock;
    private final Settings settings;
    private final String platform;
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().name("dyno-manager").daemon().unstarted(r));
    private final ExecutorService background = Executors.newVirtualThreadPerTaskExecutor();
    private final Set<String> stopping = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile LogSink events = LogSink.NULL;

    public DynoManager(io.slipway.controller.db.Database db, DynoRuntime runtime, Clock clock, Settings settings,
                       String platform) {
        this.store = new DynoStore(db);
        this.runtime = runtime;
        this.clock = clock;
        this.settings = settings;
        this.platform = platform;
    }

    /** Where dyno events ({@code slipway[web.1]: State changed from up to crashed}) go: the app's log stream. */
    public void logTo(LogSink sink) {
        this.events = sink;
    }

    public void start() {
        started.set(true);
        loop.scheduleWithFixedDelay(this::tick, 0, settings.tick().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Reconcile now rather than at the next tick (after a scale, a release, a crash event); a no-op before {@link #start}. */
    public void wake() {
        if (started.get() && wakePending.compareAndSet(false, true)) {
            loop.execute(() -> {
                wakePending.set(false);
                tick();
            });
        }
    }

    /** One pass over every app; never throws, so the loop never dies. */
    void tick() {
        try {
            List<DynoRuntime.Container> all = runtime.list();
            Map<String, List<DynoRuntime.Container>> byApp = new HashMap<>();
            for (var c : all) {
                byApp.computeIfAbsent(c.labels().getOrDefault(DockerEngine.LABEL_APP, ""), k -> new ArrayList<>()).add(c);
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
                    containers.forEach(c -> stopInBackground(app, c, "its app no longer exists or has no release"));
                }
            });
        } catch (RuntimeException e) {
            log.warn("dyno manager tick failed: {}", e.getMessage());
        }
    }

    void reconcile(DynoStore.Desired d, List<DynoRuntime.Container> containers) {
        Instant now = clock.instant();
        Map<String, DynoStore.Row> before = store.rows(d.appId());
        Map<String, DynoStore.Row> after = new LinkedHashMap<>();
        DynoStore.ReleaseRef target = d.target();
        DynoStore.ReleaseRef live = d.live();
        Map<String, Integer> quantities = quantities(d, target);

        Map<String, DynoRuntime.Container> byName = new HashMap<>();
        containers.forEach(c -> byName.put(c.name(), c));
        Map<String, DynoKey> wanted = new LinkedHashMap<>();
        quantities.forEach((type, qty) -> {
            for (int i = 1; i <= qty; i++) {
                DynoKey key = new DynoKey(type, i, target.version());
                wanted.put(containerName(d.app(), key), key);
            }
        });

        // Start what is missing, in parallel: scaling to ten should not take ten times one start.
        List<java.util.concurrent.Future<DynoRuntime.Container>> starts = new ArrayList<>();
        wanted.forEach((name, key) -> {
            if (!byName.containsKey(name)) {
                starts.add(background.submit(() -> runtime.start(spec(d, target, key, name))));
            }
        });
        for (var f : starts) {
            try {
                DynoRuntime.Container c = f.get();
                byName.put(c.name(), c);
                log.info("app={} release=v{} dyno={} starting", d.app(), target.version(), dynoName(c));
                events.event(d.app(), dynoName(c), "Starting process with command `"
                        + target.processTypes().get(c.labels().get(LABEL_TYPE)) + "`");
            } catch (Exception e) {
                log.warn("app={} release=v{} a dyno failed to start: {}", d.app(), target.version(), e.getMessage());
            }
        }

        boolean pendingTarget = target.status().equals("pending");
        boolean bootFailed = false;
        for (DynoRuntime.Container c : byName.values()) {
            DynoKey key = DynoKey.of(c.labels());
            if (key == null) {
                continue;
            }
            DynoStore.Row old = before.get(c.name());
            if (wanted.containsKey(c.name())) {
                DynoStore.Row row = observe(d, c, key, old, now);
                if (row.state().equals("starting") && pendingTarget && row.startedAt() != null
                        && Duration.between(row.startedAt(), now).compareTo(settings.bootTimeout()) > 0) {
                    bootFailed = true;
                }
                after.put(c.name(), row);
            } else if (pendingTarget && live != null && key.release() == live.version()) {
                // The live release keeps serving until the target's web dynos are all up.
                after.put(c.name(), observe(d, c, key, old, now));
            } else if (!stopping.contains(c.id())) {
                stopInBackground(d.app(), c, key.release() != target.version() ? "release v" + target.version() + " replaces it" : "scaled down");
            }
        }

        DynoStore.ReleaseRef routed = live;
        if (pendingTarget) {
            boolean webUp = wanted.entrySet().stream()
                    .filter(e -> e.getValue().type().equals("web"))
                    .allMatch(e -> after.containsKey(e.getKey()) && after.get(e.getKey()).state().equals("up"));
            if (bootFailed) {
                store.setReleaseStatus(d.appId(), target.version(), "failed");
                log.warn("app={} release=v{} failed: its web dynos did not accept connections within {} s; v{} keeps serving",
                        d.app(), target.version(), settings.bootTimeout().toSeconds(), live == null ? 0 : live.version());
                events.event(d.app(), "api", "Deploy v" + target.version() + " failed: its web dynos did not accept "
                        + "connections within " + settings.bootTimeout().toSeconds() + " s");
            } else if (webUp) {
                store.setReleaseStatus(d.appId(), target.version(), "succeeded");
                routed = target;
                log.info("app={} release=v{} is live", d.app(), target.version());
                events.event(d.app(), "api", "Release v" + target.version() + " is live");
            }
        }
        int routedVersion = routed == null ? -1 : routed.version();
        after.replaceAll((name, r) -> new DynoStore.Row(r.containerName(), r.type(), r.index(), r.release(),
                r.containerId(), r.port(), r.state(), r.type().equals("web") && r.state().equals("up")
                && r.release() == routedVersion && r.port() != null, r.restarts(), r.restartAt(), r.startedAt()));
        store.save(d.appId(), before, after);
        if (pendingTarget && (bootFailed || routed == target)) {
            wake(); // stop the losers now rather than a tick later
        }
    }

    /** What a container's state means for its dyno: up, starting, crashed (restart due), restarting. */
    private DynoStore.Row observe(DynoStore.Desired d, DynoRuntime.Container c, DynoKey key, DynoStore.Row old, Instant now) {
        int restarts = old == null ? 0 : old.restarts();
        Instant startedAt = c.startedAt() != null ? c.startedAt() : now;
        if (c.running()) {
            boolean wasUp = old != null && old.state().equals("up") && c.id().equals(old.containerId())
                    && java.util.Objects.equals(old.port(), c.hostPort());
            boolean up = wasUp || !key.type().equals("web") || (c.hostPort() != null && runtime.accepts(c.hostPort()));
            if (up && !wasUp) {
                log.info("app={} release=v{} dyno={} state changed from {} to up", d.app(), key.release(),
                        key.dynoName(), old == null ? "starting" : old.state());
                events.event(d.app(), key.dynoName(), "State changed from " + (old == null ? "starting" : old.state())
                        + " to up");
            }
            if (up && restarts > 0 && Duration.between(startedAt, now).compareTo(RESET_RESTARTS_AFTER) > 0) {
                restarts = 0;
            }
            return row(c, key, up ? "up" : "starting", restarts, null, startedAt);
        }
        // Exited: a crash. At once the first time, then with doubling backoff.
        Instant due = old != null && old.restartAt() != null && old.state().equals("restarting")
                ? old.restartAt()
                : (c.finishedAt() != null ? c.finishedAt() : now).plus(settings.backoff().delayAfter(restarts));
        if (old == null || !old.state().equals("restarting") && !old.state().equals("crashed")) {
            log.warn("app={} release=v{} dyno={} state changed from {} to crashed (exit code {})", d.app(), key.release(),
                    key.dynoName(), old == null ? "up" : old.state(), c.exitCode());
            events.event(d.app(), key.dynoName(), "Process exited with status " + c.exitCode());
            events.event(d.app(), key.dynoName(), "State changed from " + (old == null ? "up" : old.state()) + " to crashed");
        }
        if (!now.isBefore(due)) {
            try {
                runtime.restart(c.id());
                log.info("app={} release=v{} dyno={} restarting (restart {})", d.app(), key.release(), key.dynoName(), restarts + 1);
                return row(c, key, "starting", restarts + 1, null, now);
            } catch (RuntimeException e) {
                log.warn("app={} dyno={} restart failed: {}", d.app(), key.dynoName(), e.getMessage());
            }
        }
        return row(c, key, "restarting", restarts, due, startedAt);
    }

    private static DynoStore.Row row(DynoRuntime.Container c, DynoKey key, String state, int restarts, Instant restartAt,
                                     Instant startedAt) {
        return new DynoStore.Row(c.name(), key.type(), key.index(), key.release(), c.id(), c.hostPort(), state, false,
                restarts, restartAt, startedAt);
    }

    private void stopInBackground(String app, DynoRuntime.Container c, String why) {
        if (!stopping.add(c.id())) {
            return;
        }
        log.info("app={} dyno={} stopping: {}", app, c.name(), why);
        if (DynoKey.of(c.labels()) != null) {
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

    /** The target release's process types with their quantities; web defaults to 1, others to 0, as on Heroku. */
    static Map<String, Integer> quantities(DynoStore.Desired d, DynoStore.ReleaseRef target) {
        Map<String, Integer> q = new LinkedHashMap<>();
        for (String type : target.processTypes().keySet()) {
            if (type.equals("release")) {
                continue; // the release phase runs once per release, not as a formation
            }
            q.put(type, d.formation().getOrDefault(type, type.equals("web") ? 1 : 0));
        }
        return q;
    }

    private DynoRuntime.Spec spec(DynoStore.Desired d, DynoStore.ReleaseRef release, DynoKey key, String name) {
        Map<String, String> env = new LinkedHashMap<>(release.config());
        env.put("PORT", Integer.toString(DYNO_PORT));
        env.put("DYNO", key.dynoName());
        env.put("HOME", "/app");
        env.put("SLIPWAY_APP", d.app());
        env.put("SLIPWAY_RELEASE", "v" + release.version());
        env.put("SLIPWAY_COMMIT", release.commit() == null ? "" : release.commit());
        Map<String, String> labels = Map.of(DockerEngine.LABEL_PLATFORM, platform, DockerEngine.LABEL_APP, d.app(),
                DockerEngine.LABEL_ROLE, "dyno", LABEL_TYPE, key.type(), LABEL_INDEX, Integer.toString(key.index()),
                LABEL_RELEASE, Integer.toString(key.release()));
        DynoSize size = DynoSize.of(d.sizes().getOrDefault(key.type(), DynoSize.STANDARD.label()));
        return new DynoRuntime.Spec(name, release.image(), release.processTypes().get(key.type()), env, labels,
                key.type().equals("web"), DYNO_PORT, size.memoryBytes(), size.pidsLimit());
    }

    String containerName(String app, DynoKey key) {
        return "slipway-" + platform + "-" + app + "-" + key.type() + "-" + key.index() + "-v" + key.release();
    }

    private static String dynoName(DynoRuntime.Container c) {
        DynoKey key = DynoKey.of(c.labels());
        return key == null ? c.name() : key.dynoName();
    }

    /**
     * Waits until {@code version} of the app is live or has failed, telling {@code out} as each of
     * its dynos comes up. Returns the release's final status ({@code succeeded} or {@code failed}).
     */
    public String awaitRollout(UUID appId, int version, BuildOutput out, Duration timeout,
                               java.util.function.Supplier<String> status) {
        wake();
        Instant deadline = clock.instant().plus(timeout);
        Set<String> reported = new HashSet<>();
        while (clock.instant().isBefore(deadline)) {
            // Status first, then the dynos: a release that turns live between the two reads still
            // has every dyno that made it live reported.
            String s = status.get();
            for (DynoStore.Row r : store.rows(appId).values()) {
                if (r.release() == version && r.state().equals("up") && reported.add(r.containerName())) {
                    out.line("       Starting " + r.type() + "." + r.index() + " ... up");
                }
            }
            if (!s.equals("pending")) {
                return s;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "pending";
            }
        }
        return "pending";
    }

    /** Stops and removes every dyno of an app that is being destroyed, before its image goes. */
    public void removeApp(String app) {
        List<java.util.concurrent.Future<?>> stops = new ArrayList<>();
        for (DynoRuntime.Container c : runtime.list()) {
            if (app.equals(c.labels().get(DockerEngine.LABEL_APP)) && stopping.add(c.id())) {
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

    /** The app's dynos as last reconciled. */
    public List<DynoStore.Row> dynos(UUID appId) {
        return store.rows(appId).values().stream()
                .sorted(java.util.Comparator.comparing(DynoStore.Row::type).thenComparing(DynoStore.Row::index)
                        .thenComparing(DynoStore.Row::release))
                .toList();
    }

    /**
     * Restarts the app's dynos matching {@code selector} (all when null, a type like {@code web}, or
     * a dyno like {@code web.1}): SIGTERM, the grace period, then the same dyno starts again.
     * Returns the dyno names it restarts; empty when nothing matched.
     */
    public List<String> restart(UUID appId, String app, String selector) {
        List<String> names = new ArrayList<>();
        for (DynoStore.Row r : matching(appId, selector)) {
            names.add(r.type() + "." + r.index());
            log.info("app={} release=v{} dyno={}.{} restarting on request", app, r.release(), r.type(), r.index());
            events.event(app, r.type() + "." + r.index(), "Restarting on request");
            background.execute(() -> {
                try {
                    runtime.restartGracefully(r.containerId(), settings.grace());
                } catch (RuntimeException e) {
                    log.warn("app={} dyno={}.{} restart failed: {}", app, r.type(), r.index(), e.getMessage());
                }
                wake();
            });
        }
        return names;
    }

    /** Stops one dyno; as on Heroku, a dyno of the formation is then started afresh. */
    public List<String> stop(UUID appId, String app, String dyno) {
        List<String> names = new ArrayList<>();
        for (DynoStore.Row r : matching(appId, dyno)) {
            names.add(r.type() + "." + r.index());
            stopInBackground(app, new DynoRuntime.Container(r.containerId(), r.containerName(), Map.of(), true, null,
                    r.port(), r.startedAt(), null), "stopped on request");
        }
        return names;
    }

    private List<DynoStore.Row> matching(UUID appId, String selector) {
        return store.rows(appId).values().stream()
                .filter(r -> r.containerId() != null)
                .filter(r -> selector == null || selector.equals(r.type()) || selector.equals(r.type() + "." + r.index()))
                .toList();
    }

    @Override
    public void close() {
        loop.shutdownNow();
        background.shutdownNow();
    }

    /** A dyno's identity: process type, index, release. */
    public record DynoKey(String type, int index, int release) {
        String dynoName() {
            return type + "." + index;
        }

        static DynoKey of(Map<String, String> labels) {
            try {
                return new DynoKey(labels.get(LABEL_TYPE), Integer.parseInt(labels.get(LABEL_INDEX)),
                        Integer.parseInt(labels.get(LABEL_RELEASE)));
            } catch (RuntimeException e) {
                return null;
            }
        }
    }
}
