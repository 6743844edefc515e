package io.slipway.api;

import java.time.Instant;

/** A one-off dyno that was started: {@code run.4}. */
public record RunView(String name, String state, String command, String release, Instant startedAt) {}
