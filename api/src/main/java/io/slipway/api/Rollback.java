package io.slipway.api;

/** Body of {@code POST /apps/{app}/releases}: roll back to {@code release} ("v3"); null means the one before the current. */
public record Rollback(String release) {}
