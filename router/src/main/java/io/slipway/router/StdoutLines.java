package io.slipway.router;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Request lines on the router's stdout, {@code <time> router app=<app> <line>}, for a router
 * without a controller to send them to. One write per batch, so lines stay whole in a shared file.
 */
final class StdoutLines implements AsyncRequestLog.Output {
    private final OutputStream out;
    private final StringBuilder text = new StringBuilder(256 * 1024);
    private long stampMillis = -1;
    private String stamp = "";

    StdoutLines() {
        this(new FileOutputStream(FileDescriptor.out));
    }

    StdoutLines(OutputStream out) {
        this.out = out;
    }

    @Override
    public void write(AsyncRequestLog.Line l) throws IOException {
        if (l.epochMillis() != stampMillis) { // dozens of lines share a millisecond under load
            stampMillis = l.epochMillis();
            stamp = Instant.ofEpochMilli(stampMillis).toString();
        }
        text.append(stamp).append(" router app=").append(l.app()).append(' ').append(l.text()).append('\n');
        if (text.length() > 200 * 1024) {
            flush();
        }
    }

    @Override
    public void flush() throws IOException {
        if (text.isEmpty()) {
            return;
        }
        try {
            out.write(text.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
        } finally {
            text.setLength(0);
        }
    }

    @Override
    public String describe() {
        return "stdout";
    }
}
