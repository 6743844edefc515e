package io.slipway.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** How times read in listings: ISO-8601 to the second in UTC, and Heroku's rough ages ({@code ~ 5m ago}). */
final class Times {
    private Times() {}

    /** {@code 2026-11-24T13:00:00Z}; empty when the platform sent no time. */
    static String at(Instant instant) {
        return instant == null ? "" : instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** {@code ~ 42s}, {@code ~ 5m}, {@code ~ 3h}, {@code ~ 2d}: the coarsest unit that is not zero. */
    static String age(Instant then, Instant now) {
        long seconds = Math.max(0, Duration.between(then, now).getSeconds());
        if (seconds < 60) {
            return "~ " + seconds + "s";
        }
        if (seconds < 3600) {
            return "~ " + seconds / 60 + "m";
        }
        if (seconds < 86400) {
            return "~ " + seconds / 3600 + "h";
        }
        return "~ " + seconds / 86400 + "d";
    }

    /** Whole seconds from now until {@code later}, rounded up (so "in 0 s" never shows for what is still ahead). */
    static long secondsUntil(Instant later, Instant now) {
        long millis = Duration.between(now, later).toMillis();
        return millis <= 0 ? 0 : (millis + 999) / 1000;
    }
}
