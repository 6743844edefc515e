package io.slipway.controller.deploy;

import com.github.dockerjava.api.model.Container;
import io.slipway.controller.app.App;
import io.slipway.controller.app.AppService;
import io.slipway.controller.docker.Labels;
import io.slipway.controller.loop.ReconcileLoop;
import io.slipway.controller.release.Release;
import io.slipway.controller.release.ReleaseService;
import io.slipway.controller.release.ReleaseState;
import io.slipway.controller.run.OneOffDynos;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each release's Procfile {@code release:} command before any of its dynos start, whatever
 * made the release (a push, a config change, a rollback): level-triggered like the dyno manager.
 * Each pass looks at the releases in {@link ReleaseState#RELEASE_PHASE} and at the release-phase
 * containers (named after their release, so found again after a controller restart): it starts
 * the one that is missing, follows the one that runs, and records the end of the one that exited
 * (exit 0: the release boots; else it fails with the command's last lines), and only then removes
 * its container. A controller killed at any point of this finds the same facts and goes on.
 */
public final class ReleasePhase implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReleasePhase.class);
    private static final Duration KEEP_OUTPUT = Duration.ofMinutes(5);

    private final ReleaseService releases;
    private final AppService apps;
    private final OneOffDynos runs;
    private final Runnable releaseBooting;
    private final Clock clock;
    private final Duration maxTime;
    private final ReconcileLoop loop;
    /** Containers a thread of ours follows now, by name. */
    private final Set<String> following = ConcurrentHashMap.newKeySet();
    /** What each release command wrote, by container name, for the push that waits on it. */
    private final Map<String, Output> outputs = new ConcurrentHashMap<>();

    /** @param releaseBooting told when a release leaves the phase for booting (the dyno manager's wake) */
    public ReleasePhase(ReleaseService releases, AppService apps, OneOffDynos runs, Runnable releaseBooting, Clock clock,
                        Duration tick, Duration maxTime) {
        this.releases = releases;
        this.apps = apps;
        this.runs = runs;
        this.releaseBooting = releaseBooting;
        this.clock = clock;
        this.maxTime = maxTime;
        this.loop = new ReconcileLoop("release-phase", tick, this::advance);
    }

    /** The lines one release command wrote, growing while it runs. */
    static final class Output {
        private final List<String> lines = new ArrayList<>();
        private volatile Instant ended;

        synchronized void add(String line) {
            lines.add(line);
        }

        synchronized List<String> from(int index) {
            return index >= lines.size() ? List.of() : List.copyOf(lines.subList(index, lines.size()));
        }
    }

    public void start() {
        loop.start();
    }

    /** No more passes until the next {@link #start} (this controller lost the lead); a command under way goes on. */
    public void stop() {
        loop.stop();
    }

    /** Advance now rather than at the next tick (a release was just made, a command just ended). */
    public void wake() {
        loop.wake();
    }

    /** The release command's lines of {@code app}'s vN from {@code index} on (empty when none ran here). */
    List<String> output(String app, int version, int index) {
        Output o = outputs.get(runs.releasePhaseName(app, version));
        return o == null ? List.of() : o.from(index);
    }

    /** One pass (the loop logs a pass that throws and goes on). */
    void advance() {
        Map<String, Container> containers = new HashMap<>();
        for (Container c : runs.releasePhases()) {
            containers.put(c.getNames()[0].replaceFirst("^/", ""), c);
        }
        Set<String> due = new HashSet<>();
        for (Release release : releases.inState(ReleaseState.RELEASE_PHASE)) {
            Optional<App> app = apps.find(release.appId().toString());
            if (app.isEmpty()) {
                continue;
            }
            String name = runs.releasePhaseName(app.get().name().value(), release.version());
            due.add(name);
            try {
                advance(app.get(), release, name, containers.get(name));
            } catch (RuntimeException e) {
                log.warn("app={} release={} release phase: {}", app.get().name(), release.name(), e.toString());
            }
        }
        // A container whose release left the phase (its end recorded, or superseded) has done its part.
        containers.forEach((name, c) -> {
            if (!due.contains(name) && !following.contains(name)) {
                log.info("app={} release phase container {} removed: its release left the phase",
                        c.getLabels().get(Labels.APP), name);
                runs.remove(c.getId());
            }
        });
        Instant forget = clock.instant().minus(KEEP_OUTPUT);
        outputs.entrySet().removeIf(e -> e.getValue().ended != null && e.getValue().ended.isBefore(forget));
    }

    private void advance(App app, Release release, String name, Container c) {
        if (c == null) {
            log.info("app={} release={} running release command: {}", app.name(), release.name(), release.releaseCommand());
            OneOffDynos.OneOff o = runs.createReleasePhase(app, release);
            runs.start(o);
            follow(o, null);
        } else if ("running".equals(c.getState()) || "created".equals(c.getState())) {
            OneOffDynos.OneOff o = runs.adopt(app.name().value(), "release." + release.version(), c.getId(), release);
            if ("created".equals(c.getState())) {
                runs.start(o); // a controller killed between create and start
            }
            if (!following.contains(name)) {
                log.info("app={} release={} following the release command left running by an earlier controller",
                        app.name(), release.name());
                follow(o, clock.instant());
            }
        } else if (!following.contains(name)) {
            finish(app, release, name, c.getId());
        }
    }

    /** Follows a running command's output and waits for its end in the background; its end is recorded by the next pass. */
    private void follow(OneOffDynos.OneOff o, Instant since) {
        String name = runs.releasePhaseName(o.app(), o.release().version());
        if (!following.add(name)) {
            return;
        }
        Output output = outputs.computeIfAbsent(name, k -> new Output());
        Thread.ofVirtual().name("release-phase-" + o.app() + "-v" + o.release().version()).start(() -> {
            try {
                var stream = runs.follow(o, since, output::add);
                int exit = runs.waitFor(o, maxTime);
                OneOffDynos.drain(stream);
                log.info("app={} release={} release command exited with status {}", o.app(), o.release().name(), exit);
            } catch (RuntimeException e) {
                log.warn("app={} release={} following the release command failed: {}", o.app(), o.release().name(),
                        e.toString());
            } finally {
                following.remove(name);
                wake();
            }
        });
    }

    /** The command ended: its exit code decides the release's next state; then its container goes. */
    private void finish(App app, Release release, String name, String containerId) {
        Integer exit = runs.exitCode(containerId);
        if (exit != null && exit == 0) {
            if (releases.transition(app, release.version(), ReleaseState.RELEASE_PHASE, ReleaseState.BOOTING, null)) {
                releaseBooting.run();
            }
        } else {
            String cause = "the release command `" + release.releaseCommand() + "` "
                    + (exit == null ? "vanished" : "exited with code " + exit);
            releases.transition(app, release.version(), ReleaseState.RELEASE_PHASE, ReleaseState.FAILED,
                    Release.failure(cause, runs.lastLines(containerId, Release.FAILURE_LINES)));
        }
        Output output = outputs.get(name);
        if (output != null) {
            output.ended = clock.instant();
        }
        runs.remove(containerId);
    }

    @Override
    public void close() {
        loop.close();
    }
}
