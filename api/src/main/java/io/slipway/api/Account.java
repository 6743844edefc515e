package io.slipway.api;

/** Who a token belongs to ({@code GET /account}). */
public record Account(String name, String tokenDescription) {}
