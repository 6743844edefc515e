package io.slipway.controller.logs;

import java.time.Instant;

/**
 * One line of an app's log stream (factor XI): when, which app, where from ({@code app} for dyno
 * output, {@code router}, {@code build}, {@code slipway} for platform events), which process
 * ({@code web.1}, {@code run.3}, {@code router}, {@code api}), and the text without its newline.
 */
public record LogLine(Instant time, String app, String source, String process, String text) {}
