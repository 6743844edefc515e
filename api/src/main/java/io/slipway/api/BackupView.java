package io.slipway.api;

import java.time.Instant;

/**
 * A backup of a PostgreSQL add-on: {@code b001}, of which add-on ({@code addonDestroyed} once that
 * add-on is gone), why it was taken ({@code manual}, {@code schedule}, {@code destroy}), where it
 * stands ({@code running}, {@code done}, {@code failed} with {@code failure}), and once done its
 * size and SHA-256 and when pg_restore verified it.
 */
public record BackupView(String id, String app, String addon, boolean addonDestroyed, String trigger, String status,
                         String failure, Long sizeBytes, String sha256, boolean verified, Instant startedAt,
                         Instant finishedAt, String createdBy) {}
