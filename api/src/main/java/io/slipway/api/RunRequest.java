package io.slipway.api;

import java.util.Map;

/**
 * A one-off dyno ({@code slipway run}): the command, whether the caller stays attached, whether it
 * wants a TTY (and its size), extra environment and the dyno size (standard when null). Sent as the first message on the attach
 * WebSocket ({@code /apps/{app}/run}) or as the body of {@code POST /apps/{app}/dynos} (detached).
 */
public record RunRequest(String command, Boolean attach, Boolean tty, Integer columns, Integer lines,
                         Map<String, String> env, String size) {

    /** A command run detached with the release's config only, at the standard size (the release phase, schedules). */
    public static RunRequest detached(String command) {
        return new RunRequest(command, false, false, null, null, null, null);
    }

    /** This request with the caller staying attached (the attach WebSocket says so by being one). */
    public RunRequest attached() {
        return new RunRequest(command, true, tty, columns, lines, env, size);
    }
}
