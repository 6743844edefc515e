package io.slipway.api;

import java.time.Instant;

/** A daily backup of {@code addon} at {@code at} in {@code timezone}, keeping the newest {@code keep} scheduled ones. */
public record BackupScheduleView(String addon, String at, String timezone, int keep, Instant nextRunAt,
                                 String createdBy) {}
