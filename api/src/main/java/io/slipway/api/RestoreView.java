package io.slipway.api;

import java.time.Instant;

/** A restore of backup {@code backup} into {@code addon}: {@code running}, {@code done} or {@code failed}; {@code message} says what it did. */
public record RestoreView(String id, String backup, String addon, String status, String message, Instant startedAt,
                          Instant finishedAt) {}
