package io.slipway.controller.release;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A numbered release: a build's image plus a config snapshot plus process types, and where it is
 * on its path to serving ({@code failure} says why when it never got there).
 */
public record Release(UUID id, UUID appId, int version, UUID buildId, Integer buildNumber, String commit, String image,
                      Map<String, String> config, Map<String, String> processTypes, String description,
                      ReleaseState state, String failure, String createdBy, Instant createdAt) {

    /** {@code v7}, as people write it. */
    public String name() {
        return "v" + version;
    }

    /** How many of a failed process's last lines a release's failure keeps (and the push shows). */
    public static final int FAILURE_LINES = 15;

    /**
     * A failure as {@code releases:info} and the push show it: the cause on the first line, then
     * the last lines the failed process wrote.
     */
    public static String failure(String cause, List<String> lastLines) {
        StringBuilder text = new StringBuilder(cause);
        text.append(lastLines.isEmpty() ? "; it wrote nothing" : "; its last output:");
        lastLines.forEach(l -> text.append('\n').append(l));
        return text.toString();
    }

    /** The Procfile's {@code release:} command, run before any dyno of this release starts. */
    public String releaseCommand() {
        return processTypes.get("release");
    }
}
