package io.slipway.api;

/**
 * {@code pg:psql}: the first message on the WebSocket {@code /apps/{app}/psql}. {@code database}
 * names the add-on or its attachment ({@code DATABASE} when null); {@code command} is one SQL
 * command to run ({@code -c}), or null for an interactive session; {@code tty} and its size as for
 * {@link RunRequest}.
 */
public record PsqlRequest(String database, String command, Boolean tty, Integer columns, Integer lines) {}
