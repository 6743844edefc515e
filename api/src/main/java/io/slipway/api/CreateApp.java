package io.slipway.api;

/** Body of {@code POST /apps}; a null name asks the platform to generate one. */
public record CreateApp(String name) {}
