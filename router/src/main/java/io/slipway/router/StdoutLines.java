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
    private static final byte[] ROUTER_APP = " router app=".getBytes(StandardCharsets.US_ASCII);
    private final OutputStream out;
    private final byte[] text = new byte[256 * 1024];
    private int length;
    private long stampMillis = -1;
    private byte[] stamp = new byte[0];
    private String app;
    private byte[] appBytes;

    StdoutLines() {
        this(new FileOutputStream(FileDescriptor.out));
    }

    StdoutLines(OutputStream out) {
        this.out = out;
    }

    @Override
    public void write(long epochMillis, String app, byte[] line, int from, int to) throws IOException {
        if (epochMillis != stampMillis) { // dozens of lines share a millisecond under load
            stampMillis = epochMillis;
            stamp = Instant.ofEpochMilli(epochMillis).toString().getBytes(StandardCharsets.US_ASCII);
        }
        if (!app.equals(this.app)) { // and an app, mostly
            this.app = app;
            this.appBytes = app.getBytes(StandardCharsets.UTF_8);
        }
        put(stamp, 0, stamp.length);
        put(ROUTER_APP, 0, ROUTER_APP.length);
        put(appBytes, 0, appBytes.length);
        put(SPACE, 0, 1);
        put(line, from, to - from);
        put(NEWLINE, 0, 1);
    }

    private static final byte[] SPACE = {' '};
    private static final byte[] NEWLINE = {'\n'};

    private void put(byte[] b, int from, int n) throws IOException {
        if (length + n > text.length) {
            flush();
            if (n > text.length) {
                out.write(b, from, n); // a line longer than the buffer: its parts stay in order, in one batch
                return;
            }
        }
        System.arraycopy(b, from, text, length, n);
        length += n;
    }

    @Override
    public void flush() throws IOException {
        if (length == 0) {
            return;
        }
        try {
            out.write(text, 0, length);
            out.flush();
        } finally {
            length = 0;
        }
    }

    @Override
    public String describe() {
        return "stdout";
    }
}
