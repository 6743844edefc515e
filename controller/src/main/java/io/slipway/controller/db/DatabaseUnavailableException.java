package io.slipway.controller.db;

/** The platform database cannot be reached right now; the API answers 503 and retries on the next request. */
public final class DatabaseUnavailableException extends RuntimeException {
    public DatabaseUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
