package io.slipway.controller.dyno;

import java.time.Duration;

/**
 * How long a crashed dyno waits before its next start: at once after the first crash, then 1 s,
 * 2 s, 4 s… doubling up to a cap, as Heroku's crash restart policy does in spirit.
 */
public record Backoff(Duration first, Duration cap) {

    public Backoff {
        if (first.isNegative() || first.isZero() || cap.compareTo(first) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < first <= cap, got " + first + " and " + cap);
        }
    }

    /** The wait before restart number {@code restarts + 1}, given {@code restarts} restarts so far. */
    public Duration delayAfter(int restarts) {
        if (restarts <= 0) {
            return Duration.ZERO;
        }
        long factor = 1L << Math.min(restarts - 1, 30);
        Duration d = first.multipliedBy(factor);
        return d.compareTo(cap) > 0 ? cap : d;
    }
}
