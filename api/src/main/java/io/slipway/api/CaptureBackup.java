package io.slipway.api;

/** Asks for a backup of the app's PostgreSQL add-on {@code database} (DATABASE's when null). */
public record CaptureBackup(String database) {}
