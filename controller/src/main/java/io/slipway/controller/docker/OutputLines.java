package io.slipway.controller.docker;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Turns a container's output, in frames of whatever size Docker chose, into whole lines (without
 * their newline; carriage returns dropped). {@link #flush()} hands over a last unterminated line.
 */
public final class OutputLines {
    private final Consumer<String> sink;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    public OutputLines(Consumer<String> sink) {
        this.sink = sink;
    }

    public synchronized void accept(byte[] bytes) {
        for (byte b : bytes) {
            if (b == '\n') {
                emit();
            } else if (b != '\r') {
                pending.write(b);
            }
        }
    }

    public synchronized void flush() {
        if (pending.size() > 0) {
            emit();
        }
    }

    private void emit() {
        sink.accept(pending.toString(StandardCharsets.UTF_8));
        pending.reset();
    }
}
