package io.slipway.api;

/**
 * The one error shape: a stable machine {@code id} (e.g. {@code not_found}, {@code invalid_params})
 * and a message a person can act on. {@code requestId} ties a 500 to the controller's log line.
 */
public record ApiError(String id, String message, String requestId) {}
