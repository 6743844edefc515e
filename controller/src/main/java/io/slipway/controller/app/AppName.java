package io.slipway.controller.app;

import io.slipway.controller.http.ApiException;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An app's name. It becomes a DNS label ({@code <app>.<domain>}), part of container names and a
 * git path, so it is held to Heroku's rule: a lowercase letter first, then lowercase letters,
 * digits and single dashes, no dash at the end, at most 30 characters.
 */
public record AppName(String value) {
    public static final int MAX_LENGTH = 30;
    private static final Pattern LABEL = Pattern.compile("[a-z](?:[a-z0-9-]*[a-z0-9])?");
    /** Names the platform answers on itself, or that would confuse people in URLs and logs. */
    static final Set<String> RESERVED = Set.of(
            "slipway", "api", "git", "www", "admin", "router", "controller", "platform",
            "localhost", "healthz", "metrics", "status", "login", "logs", "root");

    public AppName {
        if (value == null || value.isEmpty()) {
            throw ApiException.invalid("an app name is required");
        }
        if (value.length() > MAX_LENGTH) {
            throw ApiException.invalid("app name '" + abbreviate(value) + "' is too long: at most " + MAX_LENGTH
                    + " characters (it becomes a host name)");
        }
        if (!LABEL.matcher(value).matches() || value.contains("--")) {
            throw ApiException.invalid("app name '" + value + "' is not valid: use lowercase letters, digits and "
                    + "single dashes, starting with a letter and not ending with a dash (e.g. 'shop' or 'billing-api')");
        }
        if (RESERVED.contains(value)) {
            throw ApiException.invalid("app name '" + value + "' is reserved by the platform; choose another");
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }

    @Override
    public String toString() {
        return value;
    }
}
