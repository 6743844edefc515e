package io.slipway.controller.logs;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * A followed container's output, from frames to lines. A frame is a slice of the byte stream, not
 * a line: a line (and its timestamp) can start in one frame and end in the next, so bytes wait per
 * stream (stdout, stderr) until their newline. Each line is Docker's timestamp, a space, the text.
 * Lines this log already has are skipped: those before the resume cursor, and the first
 * {@code count} at its exact time.
 */
final class DockerLines {
    /** A line with no newline after this many bytes is taken as it is (far past the 10,000 characters kept). */
    static final int MAX_PENDING = 64 * 1024;

    private final BiConsumer<Instant, String> out;
    private final Map<Object, Pending> pending = new HashMap<>(4);
    private LogFile.Cursor resume;
    private int seenAtResume;

    /** @param resume where this container's output stands in the log, or null to take every line */
    DockerLines(LogFile.Cursor resume, BiConsumer<Instant, String> out) {
        this.resume = resume;
        this.out = out;
    }

    /** The start of a line whose newline has not come yet. */
    private static final class Pending {
        byte[] bytes = new byte[256];
        int length;

        void add(byte[] from, int offset, int n) {
            if (length + n > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + n));
            }
            System.arraycopy(from, offset, bytes, length, n);
            length += n;
        }
    }

    /** The bytes of one frame of {@code stream} (stdout or stderr). */
    void frame(Object stream, byte[] payload) {
        Pending partial = pending.get(stream);
        int start = 0;
        for (int i = 0; i < payload.length; i++) {
            if (payload[i] != '\n') {
                continue;
            }
            if (partial != null && partial.length > 0) {
                partial.add(payload, start, i - start);
                line(partial.bytes, 0, partial.length);
                partial.length = 0;
            } else {
                line(payload, start, i - start);
            }
            start = i + 1;
        }
        if (start < payload.length) {
            if (partial == null) {
                partial = new Pending();
                pending.put(stream, partial);
            }
            partial.add(payload, start, payload.length - start);
            if (partial.length > MAX_PENDING) {
                line(partial.bytes, 0, partial.length);
                partial.length = 0;
            }
        }
    }

    /** The stream ended: a last line without a newline is still a line. */
    void end() {
        pending.values().forEach(p -> {
            if (p.length > 0) {
                line(p.bytes, 0, p.length);
            }
        });
        pending.clear();
    }

    private void line(byte[] bytes, int offset, int length) {
        String s = new String(bytes, offset, length, StandardCharsets.UTF_8);
        int sp = s.indexOf(' ');
        Instant time;
        String text;
        try {
            time = LogFormat.dockerTime(s, 0, sp);
            text = s.substring(sp + 1);
        } catch (RuntimeException noTimestamp) {
            time = Instant.now();
            text = s;
        }
        if (fresh(time)) {
            out.accept(time, text);
        }
    }

    private boolean fresh(Instant time) {
        if (resume == null) {
            return true;
        }
        int c = time.compareTo(resume.time());
        if (c < 0) {
            return false;
        }
        if (c == 0 && seenAtResume < resume.count()) {
            seenAtResume++;
            return false;
        }
        resume = null;
        return true;
    }
}
