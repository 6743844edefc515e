package io.slipway.api;

import java.time.Instant;

/**
 * One firing of a schedule: the one-off dyno it ran as, when, how it ended ({@code running},
 * {@code succeeded}, {@code failed}, {@code timed_out}, or {@code skipped} when the previous run was
 * still going), the exit code and the first lines of output.
 */
public record ScheduleRunView(String scheduleId, String cron, String command, String dyno, Instant startedAt,
                              Instant endedAt, Integer exitCode, String status, String output) {}
