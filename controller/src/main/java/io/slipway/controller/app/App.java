package io.slipway.controller.app;

import java.time.Instant;
import java.util.UUID;

/** A stored app. */
public record App(UUID id, AppName name, Instant createdAt, Instant updatedAt) {}
