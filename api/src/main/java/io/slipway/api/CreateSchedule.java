package io.slipway.api;

/**
 * Body of {@code POST /apps/{app}/schedules}: a five-field cron expression (for example every ten minutes: {@code &#42;/10 * * * *}),
 * the command, a timezone (default UTC) and the overlap policy ({@code skip}, the default, or {@code allow}).
 */
public record CreateSchedule(String cron, String command, String timezone, String overlap) {}
