package io.slipway.controller.run;

import io.slipway.controller.app.App;
import java.time.Duration;
import java.time.Instant;

/**
 * One-off dynos (factor XII): a command in a container from the app's current release, with its
 * config, hardened like every dyno, named {@code run.N}, removed afterwards.
 */
public interface OneOffRunner {

    /**
     * Runs {@code command} detached and waits for it to end (or to be stopped after {@code maxTime}).
     * Its output goes to the app's log stream as {@code app[run.N]}; the first lines come back too.
     *
     * @param trigger who or what asked ("admin", "schedule report"), for the log stream
     */
    Result runToCompletion(App app, String command, String trigger, Duration maxTime);

    /** How a one-off dyno ended. {@code exitCode} is 137 when it was killed (timeout). */
    record Result(String dyno, int exitCode, String firstLines, Instant startedAt, Instant endedAt, boolean timedOut) {}
}
