package io.slipway.api;

/**
 * {@code GET /healthz}: answered without a token; 503 with {@code database=unavailable} when state
 * cannot be read. {@code controller} is the answering controller's id ({@code host:apiPort}),
 * {@code leads} whether it leads reconciliation, {@code leader} which controller does (null while
 * none does, between a leader's end and the next one's start).
 */
public record Health(String status, String version, String database, String controller, boolean leads, String leader) {}
