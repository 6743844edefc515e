package io.slipway.controller.deploy;

import io.slipway.controller.app.App;
import io.slipway.controller.build.BuildOutput;
import io.slipway.controller.dyno.Dynos;
import io.slipway.controller.dyno.DynoState;
import io.slipway.controller.dyno.DynoStore;
import io.slipway.controller.release.Release;
import io.slipway.controller.release.ReleaseService;
import io.slipway.controller.release.ReleaseState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Tells someone waiting on a release (a push today; an attach or a promotion later) what happens
 * to it as the reconcile loops move it on: the release command's output, each dyno that comes up,
 * what it still waits for, and how it ended. It only reads; it never moves a release itself, so a
 * push that hangs up changes nothing about the deploy.
 */
public final class ReleaseProgress {
    private static final Duration POLL = Duration.ofMillis(200);
    /** A wait longer than this says what it waits for… */
    private static final Duration QUIET = Duration.ofSeconds(2);
    /** …and then says it again this often, so a 60 s boot is not 30 lines. */
    private static final Duration REMIND = Duration.ofSeconds(10);

    private final ReleaseService releases;
    private final Dynos dynos;
    private final ReleasePhase phase;
    private final Clock clock;

    public ReleaseProgress(ReleaseService releases, Dynos dynos, ReleasePhase phase, Clock clock) {
        this.releases = releases;
        this.dynos = dynos;
        this.phase = phase;
        this.clock = clock;
    }

    /**
     * Streams vN's progress to {@code out} until it leaves flight or {@code timeout} passes.
     * Returns the release as it last was.
     */
    public Release follow(App app, Release release, BuildOutput out, Duration timeout) {
        phase.wake();
        dynos.wake();
        Instant deadline = clock.instant().plus(timeout);
        Instant lastSaid = clock.instant();
        int phaseLines = 0;
        boolean phaseAnnounced = false;
        Set<String> reportedUp = new HashSet<>();
        Duration quiet = QUIET;
        Release now = release;
        while (true) {
            // The state first, then what it produced: a release that moves on between the two
            // reads still has everything that moved it reported.
            now = releases.find(app, release.version()).orElse(now);
            if (release.releaseCommand() != null) {
                if (!phaseAnnounced) {
                    out.step("Running release command: " + release.releaseCommand());
                    phaseAnnounced = true;
                }
                List<String> lines = phase.output(app.name().value(), release.version(), phaseLines);
                phaseLines += lines.size();
                lines.forEach(out::detail);
                if (!lines.isEmpty()) {
                    lastSaid = clock.instant();
                    quiet = QUIET;
                }
            }
            List<DynoStore.Row> rows = dynos.dynos(app.id()).stream().filter(r -> r.release() == release.version()).toList();
            for (DynoStore.Row r : rows) {
                if (r.state() == DynoState.UP && reportedUp.add(r.dynoName())) {
                    out.detail("Starting " + r.dynoName() + " ... up");
                    lastSaid = clock.instant();
                    quiet = QUIET;
                }
            }
            if (!now.state().inFlight()) {
                return now;
            }
            Instant t = clock.instant();
            if (!t.isBefore(deadline)) {
                return now;
            }
            if (Duration.between(lastSaid, t).compareTo(quiet) >= 0) {
                out.detail(waitingFor(now, rows, t));
                lastSaid = t;
                quiet = REMIND;
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return now;
            }
        }
    }

    private static String waitingFor(Release r, List<DynoStore.Row> rows, Instant now) {
        if (r.state() == ReleaseState.RELEASE_PHASE) {
            return "(the release command is still running)";
        }
        Optional<DynoStore.Row> starting = rows.stream().filter(x -> x.state() == DynoState.STARTING).findFirst();
        if (starting.isPresent()) {
            DynoStore.Row s = starting.get();
            long secs = Duration.between(s.startedAt(), now).toSeconds();
            return "(waiting for " + s.dynoName() + (s.type().equals("web")
                    ? " to accept connections on $PORT, " + secs + " s so far)"
                    : " to keep running, " + secs + " s so far)");
        }
        return "(waiting for the new dynos to start)";
    }
}
