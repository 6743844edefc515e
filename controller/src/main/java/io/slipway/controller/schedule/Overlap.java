package io.slipway.controller.schedule;

import io.slipway.controller.http.ApiException;
import java.util.Locale;

/** What a firing does while the schedule's previous run is still going. */
public enum Overlap {
    /** Record a {@code skipped} run and start nothing (the default). */
    SKIP,
    /** Start another one-off dyno alongside. */
    ALLOW;

    /** {@code skip} or {@code allow}; empty means {@code skip}. */
    public static Overlap parse(String text) {
        if (text == null || text.isBlank()) {
            return SKIP;
        }
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "skip" -> SKIP;
            case "allow" -> ALLOW;
            default -> throw ApiException.invalid("overlap must be 'skip' (the default: no new run while the previous one "
                    + "is still going) or 'allow', got '" + text + "'");
        };
    }

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }
}
