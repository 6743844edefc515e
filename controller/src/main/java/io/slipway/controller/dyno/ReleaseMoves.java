package io.slipway.controller.dyno;

import io.slipway.controller.logs.LogSink;
import io.slipway.controller.release.ReleaseState;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;

/**
 * What a pass's outcome does to the target release, and how that is told in the controller's log
 * and the app's: one place for both dyno managers (one engine, Swarm), so a deploy reads the same
 * whichever scheduler ran it.
 */
public final class ReleaseMoves {
    private ReleaseMoves() {}

    /** The move an outcome makes; {@code story} tells a failed boot's story (its dyno's last lines). */
    public static Optional<DynoStore.ReleaseMove> of(DynoPlanner.Outcome outcome,
                                                     Function<DynoPlanner.Outcome.Failed, String> story) {
        return switch (outcome) {
            case DynoPlanner.Outcome.Pending p -> Optional.empty();
            case DynoPlanner.Outcome.Live live -> Optional.of(
                    new DynoStore.ReleaseMove(live.version(), ReleaseState.BOOTING, ReleaseState.LIVE, null));
            case DynoPlanner.Outcome.Failed f -> Optional.of(new DynoStore.ReleaseMove(f.version(), ReleaseState.BOOTING,
                    ReleaseState.FAILED, story.apply(f)));
        };
    }

    /** {@code Release v3 is live}, or {@code Deploy v3 failed: …; v2 keeps serving}. */
    public static void announce(Logger log, LogSink events, String app, DynoStore.ReleaseMove m, DynoStore.ReleaseRef live) {
        if (m.to() == ReleaseState.LIVE) {
            log.info("app={} release=v{} is live", app, m.version());
            events.event(app, "api", "Release v" + m.version() + " is live");
        } else {
            String first = m.failure().lines().findFirst().orElse("");
            String serving = live == null ? "nothing was serving, and nothing is now" : "v" + live.version() + " keeps serving";
            log.warn("app={} release=v{} failed: {}; {}", app, m.version(), first, serving);
            events.event(app, "api", "Deploy v" + m.version() + " failed: " + first + "; " + serving);
        }
    }
}
