package io.slipway.controller.schedule;

import java.time.Instant;
import java.time.ZoneId;
import java.util.UUID;

/** A stored schedule of an app: run {@code command} as a one-off dyno whenever {@code cron} fires in {@code zone}. */
public record Schedule(UUID id, UUID appId, Cron cron, String command, ZoneId zone, Overlap overlap,
                       String createdBy, Instant createdAt) {}
