package io.slipway.api;

/** Body of {@code POST /apps/{app}/domains}. */
public record CreateDomain(String hostname) {}
