package io.slipway.api;

/** {@code PATCH /apps/{app}}: what to change; today only the name ({@code apps:rename}). */
public record UpdateApp(String name) {}
