package io.slipway.controller.auth;

/** Who made a request: the owner of the token that authenticated it. */
public record Principal(String name, String tokenDescription) {}
