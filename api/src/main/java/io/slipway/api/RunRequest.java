package io.slipway.api;

import java.util.Map;

/**
 * A one-off dyno ({@code slipway run}): the command, whether the caller stays attached, whether it
 * wants a TTY (and its size), and extra environment. Sent as the first message on the attach
 * WebSocket ({@code /apps/{app}/run}) or as the body of {@code POST /apps/{app}/dynos} (detached).
 */
public record RunRequest(String command, Boolean attach, Boolean tty, Integer columns, Integer lines,
                         Map<String, String> env) {}
