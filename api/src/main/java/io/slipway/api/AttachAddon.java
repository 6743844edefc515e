package io.slipway.api;

/**
 * {@code POST /addons/{name}/attachments}: attach the add-on to {@code app} as {@code as}
 * ({@code ANALYTICS_DATABASE} sets {@code ANALYTICS_DATABASE_URL}; the service's default when null).
 */
public record AttachAddon(String app, String as) {}
