package io.slipway.controller.logs;

/** Where every part of the platform writes an app's log lines; one stream per app. */
@FunctionalInterface
public interface LogSink {
    LogSink NULL = line -> { };

    void append(LogLine line);

    /** A platform event ("Scaled to web@3:standard by admin"), as {@code slipway[api]}. */
    default void event(String app, String process, String text) {
        append(new LogLine(java.time.Instant.now(), app, "slipway", process, text));
    }
}
