package io.slipway.api;

/** Schedules daily backups of {@code database} (DATABASE's when null) at {@code at} (HH:MM) in {@code timezone}, keeping {@code keep}. */
public record ScheduleBackups(String database, String at, String timezone, Integer keep) {}
