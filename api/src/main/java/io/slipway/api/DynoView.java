package io.slipway.api;

import java.time.Instant;

/**
 * A dyno as {@code slipway ps} shows it: {@code web.1}, its release, and its state
 * ({@code starting}, {@code up}, {@code crashed}, {@code restarting}, {@code stopping}); {@code restartAt}
 * says when a crashed dyno will be tried again.
 */
public record DynoView(String name, String type, String state, String release, String command,
                       Instant startedAt, int restarts, Instant restartAt) {}
