package io.slipway.api;

import java.time.Instant;

/** An app as the API shows it ({@code GET /apps/{app}}). */
public record AppInfo(String id, String name, Instant createdAt, Instant updatedAt, String webUrl, String gitUrl) {}
