package io.slipway.api;

/**
 * {@code POST /apps/{app}/addons}: the service ({@code postgres}, {@code redis}), optionally its
 * version (the newest when null) and the attachment name ({@code as}: {@code DATABASE} sets
 * {@code DATABASE_URL}; the service's default when null).
 */
public record CreateAddon(String service, String version, String as) {}
