package io.slipway.router;

/**
 * Where the router's per-request log lines go. For now to the router's stdout
 * ({@link StdoutRequestLog}); the platform will send them into each app's log stream.
 */
public interface RequestLog {
    /** A line for {@code app}; must not block the IO thread that calls it. */
    void log(String app, String line);

    RequestLog NONE = (app, line) -> {};
}
