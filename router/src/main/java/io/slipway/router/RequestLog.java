package io.slipway.router;

/**
 * Where the router's per-request log lines go: into each app's log stream over UDP
 * ({@link DatagramLines}), or the router's stdout ({@link StdoutLines}), both behind
 * {@link AsyncRequestLog}; tests capture them.
 */
public interface RequestLog {
    /**
     * A line for {@code app}; must not block the IO thread that calls it. The line's buffer is the
     * caller's and is reused once this returns: what is kept must be copied.
     */
    void log(String app, LineBuffer line);

    RequestLog NONE = (app, line) -> {};
}
