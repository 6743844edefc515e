package io.slipway.controller.http;

/**
 * A refusal the user can act on: an HTTP status, a stable error id and a message. Services throw
 * these; {@link ErrorMapper} is the one place that turns them (and everything else) into responses.
 */
public class ApiException extends RuntimeException {
    private final int status;
    private final String id;

    public ApiException(int status, String id, String message) {
        super(message);
        this.status = status;
        this.id = id;
    }

    public int status() {
        return status;
    }

    public String id() {
        return id;
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, "not_found", message);
    }

    public static ApiException invalid(String message) {
        return new ApiException(422, "invalid_params", message);
    }

    public static ApiException conflict(String message) {
        return new ApiException(409, "conflict", message);
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, "bad_request", message);
    }
}
