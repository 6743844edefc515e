package io.slipway.controller.config;

import io.slipway.controller.http.ApiException;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A config var name. It becomes an environment variable inside every dyno, so it must be a shell
 * identifier, and it may not shadow what the platform itself sets.
 */
public record ConfigKey(String value) {
    public static final int MAX_LENGTH = 255;
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Set<String> PLATFORM_OWNED = Set.of("PORT", "DYNO");

    public ConfigKey {
        if (value == null || value.isEmpty()) {
            throw ApiException.invalid("a config var name must not be empty");
        }
        if (value.length() > MAX_LENGTH || !IDENTIFIER.matcher(value).matches()) {
            throw ApiException.invalid("config var name '" + abbreviate(value) + "' is not a shell identifier: "
                    + "use letters, digits and underscores, not starting with a digit (e.g. DATABASE_URL)");
        }
        if (PLATFORM_OWNED.contains(value) || value.startsWith("SLIPWAY_")) {
            throw ApiException.invalid("config var '" + value + "' is set by the platform for every dyno "
                    + "(PORT, DYNO and SLIPWAY_* are reserved); choose another name");
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
