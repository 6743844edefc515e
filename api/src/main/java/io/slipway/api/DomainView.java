package io.slipway.api;

import java.time.Instant;

/** A host name an app answers to besides {@code <app>.<domain>}. */
public record DomainView(String hostname, Instant createdAt) {}
