package io.slipway.controller.swarm;

import io.slipway.controller.db.Database;
import io.slipway.controller.docker.Networks;
import io.slipway.controller.dyno.DynoManager;
import io.slipway.controller.dyno.DynoPlanner;
import io.slipway.controller.dyno.DynoSize;
import io.slipway.controller.dyno.DynoState;
import io.slipway.controller.dyno.DynoStore;
import io.slipway.controller.dyno.ReconcilingDynos;
import io.slipway.controller.dyno.ReleaseMoves;
import io.slipway.controller.release.Release;
import io.slipway.controller.release.ReleaseService;
import io.slipway.controller.release.ReleaseState;
import java.time.Clock;
import java.time.Duration;
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
 * The dyno manager of the Swarm scheduler (SLIPWAY_SCHEDULER=swarm): the same level-triggered loop
 * and the same dyno rows as {@link DynoManager}, over Swarm services instead of containers. Each
 * pass, per app, it reads the services and tasks from the manager, asks {@link SwarmPlanner} what
 * to do, and does it: pushes a new release's image to the platform's {@link Registry} and creates
 * its services, scales and restarts them, and removes the services of releases that no longer serve.
 * Swarm does the placing and restarts crashed tasks; this loop only states what should run.
 */
public final class SwarmDynoManager extends ReconcilingDynos {
    private static final Logger log = LoggerFactory.getLogger(SwarmDynoManager.class);
    private static final Duration STARTING_POLL = Duration.ofMillis(250);

    private final SwarmServices services;
    private final Registry registry;
    private final Networks networks;
    private final SwarmPlanner planner;
    private final DynoManager.Settings settings;
    private final Set<String> removing = ConcurrentHashMap.newKeySet();
    /** Images already in the registry, by local image: a release is pushed once, not every pass. */
    private final Map<String, String> pushed = new ConcurrentHashMap<>();

    public SwarmDynoManager(Database db, ReleaseService releases, SwarmServices services, Registry registry,
                            Networks networks, Clock clock, DynoManager.Settings settings) {
        super("swarm-dyno-manager", new DynoStore(db, releases), clock, settings.tick());
        this.services = services;
        this.registry = registry;
        this.networks = networks;
        this.settings = settings;
        this.planner = new SwarmPlanner(settings.bootTimeout(), settings.settle());
    }

    @Override
    protected void tick() {
        Map<String, List<SwarmPlanner.Service>> byApp = services.services();
        Set<String> known = new HashSet<>();
        for (DynoStore.Desired d : store.desired()) {
            known.add(d.app());
            try {
                reconcile(d, byApp.getOrDefault(d.app(), List.of()));
            } catch (RuntimeException e) {
                log.warn("app={} reconcile failed: {}", d.app(), e.toString());
                log.debug("app={} reconcile failure", d.app(), e);
            }
        }
        byApp.forEach((app, list) -> {
            if (!known.contains(app)) {
                list.forEach(s -> removeInBackground(app, s, "its app is gone or has no release booting or live"));
                store.forget(app);
            }
        });
    }

    void reconcile(DynoStore.Desired d, List<SwarmPlanner.Service> all) {
        List<SwarmPlanner.Service> current = all.stream().filter(s -> !removing.contains(s.id())).toList();
        Map<String, DynoStore.Row> before = store.rows(d.appId());
        SwarmPlanner.Plan plan = planner.plan(d, current, services.tasks(d.app(), current), before, clock.instant());
        DynoStore.ReleaseRef target = d.target();
        Optional<DynoStore.ReleaseMove> move = ReleaseMoves.of(plan.outcome(),
                f -> Release.failure(f.reason(), services.lastLines(f.containerId(), Release.FAILURE_LINES)));
        for (SwarmPlanner.Create c : plan.creates()) {
            try {
                create(d, target, c);
            } catch (RuntimeException e) {
                String why = c.type() + " could not start: " + e.getMessage();
                log.warn("app={} release=v{} {}", d.app(), c.release(), why);
                if (move.isEmpty() && target.state() == ReleaseState.BOOTING) {
                    move = Optional.of(new DynoStore.ReleaseMove(target.version(), ReleaseState.BOOTING,
                            ReleaseState.FAILED, why));
                }
                break;
            }
        }
        for (SwarmPlanner.Scale s : plan.scales()) {
            services.scale(s.service(), template(d, target, s.service().type(), s.replicas()), networks.forApp(d.app()));
            log.info("app={} release=v{} {} scaled from {} to {}", d.app(), s.service().release(), s.service().type(),
                    s.service().replicas(), s.replicas());
        }
        for (SwarmPlanner.Restart r : plan.restarts()) {
            services.restart(r.service(), template(d, target, r.service().type(), r.service().replicas()),
                    networks.forApp(d.app()), r.asked());
            log.info("app={} release=v{} {} restarting, one task at a time", d.app(), r.service().release(),
                    r.service().type());
        }
        plan.removes().forEach(r -> removeInBackground(d.app(), r.service(), r.why()));
        for (DynoPlanner.Event e : plan.events()) {
            log.info("app={} dyno={} {}", d.app(), e.dyno(), e.text());
            events.event(d.app(), e.dyno(), e.text());
        }
        store.save(d.appId(), before, new LinkedHashMap<>(plan.rows()), move);
        move.ifPresent(m -> ReleaseMoves.announce(log, events, d.app(), m, d.live()));
        if (move.isPresent() || !plan.creates().isEmpty() || !plan.scales().isEmpty()) {
            wake();
        } else if (plan.rows().values().stream().anyMatch(r -> r.state() == DynoState.STARTING)) {
            loop.wakeIn(STARTING_POLL);
        }
    }

    private void create(DynoStore.Desired d, DynoStore.ReleaseRef target, SwarmPlanner.Create c) {
        services.create(template(d, target, c.type(), c.replicas()), networks.forApp(d.app()));
        log.info("app={} release=v{} {} service created with {} replicas", d.app(), c.release(), c.type(), c.replicas());
        events.event(d.app(), "api", "Starting " + c.replicas() + " " + c.type() + " dyno" + (c.replicas() == 1 ? "" : "s")
                + " of v" + c.release() + " with command `" + target.processTypes().get(c.type()) + "`");
    }

    /** A service of the target release as it should be; the first one pushes the release's image to the registry. */
    private SwarmServices.Template template(DynoStore.Desired d, DynoStore.ReleaseRef target, String type, int replicas) {
        String image = pushed.computeIfAbsent(target.image(), local -> {
            events.event(d.app(), "api", "Pushing v" + target.version() + "'s image to the platform's registry "
                    + registry.address() + " for the nodes to pull");
            return registry.push(local, d.app(), target.version());
        });
        Map<String, String> env = new LinkedHashMap<>(target.config());
        env.put("PORT", Integer.toString(DynoPlanner.DYNO_PORT));
        env.put("HOME", "/app");
        env.put("SLIPWAY_APP", d.app());
        env.put("SLIPWAY_RELEASE", "v" + target.version());
        env.put("SLIPWAY_COMMIT", target.commit() == null ? "" : target.commit());
        DynoSize size = DynoSize.of(d.sizes().getOrDefault(type, DynoSize.STANDARD.label()));
        return new SwarmServices.Template(d.app(), type, target.version(), replicas, image,
                target.processTypes().get(type), env, size, registry.auth());
    }

    /** Removes a service once routers have dropped its tasks (their rows are gone) and requests on their way ended. */
    private void removeInBackground(String app, SwarmPlanner.Service s, String why) {
        if (!removing.add(s.id())) {
            return;
        }
        log.info("app={} release=v{} {} service stopping: {}", app, s.release(), s.type(), why);
        events.event(app, "api", "Stopping the " + s.type() + " dynos of v" + s.release() + ": " + why);
        background.execute(() -> {
            try {
                Thread.sleep(settings.drain().toMillis());
                services.remove(s);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                log.warn("app={} release=v{} {} service could not be removed: {}", app, s.release(), s.type(), e.getMessage());
                removing.remove(s.id());
            } finally {
                wake();
            }
        });
    }

    /**
     * Removes the app's services; Swarm then stops their tasks on every node (SIGTERM, then SIGKILL
     * after the grace period). The manager forgets a removed service's tasks at once, so there is
     * nothing here to wait on.
     */
    @Override
    public void removeApp(String app) {
        for (SwarmPlanner.Service s : services.ofApp(app)) {
            services.remove(s);
            log.info("app={} release=v{} {} service removed with its app", app, s.release(), s.type());
        }
    }
}
