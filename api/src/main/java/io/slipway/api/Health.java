package io.slipway.api;

/** {@code GET /healthz}: answered without a token; 503 with {@code database=unavailable} when state cannot be read. */
public record Health(String status, String version, String database) {}
