package io.slipway.controller.db;

/**
 * The platform database cannot be reached right now; the API answers 503 with {@link #advice()}
 * and retries on the next request. The message (for the log) may name hosts and drivers; the
 * advice (for the client) never does.
 */
public final class DatabaseUnavailableException extends RuntimeException {
    static final String UNAVAILABLE = "the platform database is unavailable right now; try again shortly";

    private final String advice;

    public DatabaseUnavailableException(String message, Throwable cause) {
        this(message, UNAVAILABLE, cause);
    }

    DatabaseUnavailableException(String message, String advice, Throwable cause) {
        super(message, cause);
        this.advice = advice;
    }

    /** What to tell the client: that the database is away, and why when the platform knows (it is restarting). */
    public String advice() {
        return advice;
    }
}
