package io.slipway.api;

import java.time.Instant;

/** A scheduled job of an app. */
public record ScheduleView(String id, String cron, String command, String timezone, String overlap,
                           Instant nextRunAt, Instant createdAt, String createdBy) {}
