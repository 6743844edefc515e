package io.slipway.api;

/** {@code PATCH /nodes/{node}}: {@code active}, {@code pause} or {@code drain}. */
public record NodeUpdate(String availability) {}
