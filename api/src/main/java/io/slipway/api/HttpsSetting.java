package io.slipway.api;

/** Body and answer of {@code PUT /apps/{app}/certs/redirect}: plain HTTP answered 308 to HTTPS, with HSTS. */
public record HttpsSetting(boolean forceHttps) {}
