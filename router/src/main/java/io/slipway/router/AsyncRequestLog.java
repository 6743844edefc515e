package io.slipway.router;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Request lines handed to a thread of their own, which writes them out every {@link #FLUSH_MILLIS}:
 * an IO thread never waits on a file, a socket or a lock held for long, and never wakes a thread.
 * Each logging thread copies its lines' bytes into a batch of its own (its lock is only ever
 * contended by the writer, twenty times a second, for the time it takes to swap two batches), so a
 * request costs no shared atomic, no queue node and no string. When lines come faster than the
 * output takes them, a batch that is full drops the excess and counts it, and the router's own log
 * says so, rather than requests slowing down.
 */
final class AsyncRequestLog implements RequestLog, AutoCloseable {
    /** Lines one thread may leave waiting between two flushes (about 300,000 a second)... */
    static final int MAX_BATCH = 16_384;
    /** ...and their bytes (about 250 a line is usual). */
    static final int MAX_BATCH_BYTES = 8 * 1024 * 1024;
    private static final long FLUSH_MILLIS = 50;
    private static final long REPORT_DROPS_EVERY_MILLIS = 10_000;
    private static final Logger log = LoggerFactory.getLogger(AsyncRequestLog.class);

    /** Where lines go: written one by one, flushed after each batch. Called from the writer thread only. */
    interface Output extends AutoCloseable {
        /** The line {@code text[from, to)} (UTF-8, no line break), logged for {@code app} at {@code epochMillis}. */
        void write(long epochMillis, String app, byte[] text, int from, int to) throws IOException;

        default void flush() throws IOException {}

        /** Lines the output itself had to drop (e.g. datagrams nobody took). */
        default long dropped() {
            return 0;
        }

        String describe();

        @Override
        default void close() {}
    }

    /** Lines, one after another in {@link #text}: line i ends at {@code ends[i]}, where line i + 1 starts. */
    private static final class Batch {
        byte[] text = new byte[64 * 1024];
        int textLength;
        final int[] ends = new int[MAX_BATCH];
        final long[] millis = new long[MAX_BATCH];
        final String[] apps = new String[MAX_BATCH];
        int size;

        /** False when the batch is full: the line is dropped. */
        boolean add(long now, String app, LineBuffer line) {
            int n = line.length();
            if (size == MAX_BATCH || textLength + n > MAX_BATCH_BYTES) {
                return false;
            }
            if (textLength + n > text.length) {
                text = Arrays.copyOf(text, Math.min(MAX_BATCH_BYTES, Math.max(2 * text.length, textLength + n)));
            }
            System.arraycopy(line.array(), 0, text, textLength, n);
            textLength += n;
            ends[size] = textLength;
            millis[size] = now;
            apps[size] = app;
            size++;
            return true;
        }

        void writeTo(Output output) throws IOException {
            int from = 0;
            for (int i = 0; i < size; i++) {
                output.write(millis[i], apps[i], text, from, ends[i]);
                from = ends[i];
                apps[i] = null;
            }
            size = 0;
            textLength = 0;
        }
    }

    /** One logging thread's batch, swapped out by the writer; guarded by its own monitor. */
    private static final class Slot {
        Batch batch = new Batch();
        long dropped;
    }

    private final List<Slot> slots = new CopyOnWriteArrayList<>();
    private final ThreadLocal<Slot> mine = ThreadLocal.withInitial(() -> {
        Slot s = new Slot();
        slots.add(s);
        return s;
    });
    private final Output output;
    private final Thread writer;
    private volatile boolean running = true;

    AsyncRequestLog(Output output) {
        this.output = output;
        this.writer = new Thread(this::drain, "request-log");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    @Override
    public void log(String app, LineBuffer line) {
        long now = System.currentTimeMillis();
        Slot s = mine.get();
        synchronized (s) {
            if (!s.batch.add(now, app, line)) {
                s.dropped++;
            }
        }
    }

    String describe() {
        return output.describe();
    }

    private void drain() {
        Batch spare = new Batch(); // swapped with each thread's batch in turn: the writer writes one while the thread fills the other
        long reported = 0;
        long lastReport = System.currentTimeMillis();
        while (running) {
            LockSupport.parkNanos(FLUSH_MILLIS * 1_000_000);
            spare = writeAll(spare);
            long now = System.currentTimeMillis();
            long total = dropped() + output.dropped();
            if (total > reported && now - lastReport >= REPORT_DROPS_EVERY_MILLIS) {
                log.warn("request log: {} lines for {} dropped in the last {} s (more than it takes)",
                        total - reported, output.describe(), (now - lastReport) / 1000);
                reported = total;
                lastReport = now;
            }
        }
        writeAll(spare);
    }

    /** Takes every thread's lines and writes them out; returns the batch left over as the next spare. */
    private Batch writeAll(Batch spare) {
        try {
            for (Slot s : slots) {
                Batch full;
                synchronized (s) {
                    if (s.batch.size == 0) {
                        continue;
                    }
                    full = s.batch;
                    s.batch = spare;
                }
                spare = full;
                full.writeTo(output);
            }
            output.flush();
        } catch (IOException | RuntimeException e) {
            log.warn("request log: cannot write to {}: {}", output.describe(), e.toString());
            spare.size = 0;
            spare.textLength = 0;
        }
        return spare;
    }

    private long dropped() {
        long n = 0;
        for (Slot s : slots) {
            synchronized (s) {
                n += s.dropped;
            }
        }
        return n;
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(writer);
        try {
            writer.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        output.close();
    }
}
