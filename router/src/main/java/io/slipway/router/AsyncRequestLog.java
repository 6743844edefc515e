package io.slipway.router;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Request lines handed to a thread of their own, which writes them out every {@link #FLUSH_MILLIS}:
 * an IO thread never waits on a file, a socket or a lock held for long, and never wakes a thread.
 * Each logging thread appends to a batch of its own (its lock is only ever contended by the writer,
 * twenty times a second, for the time it takes to swap two arrays), so a request costs no shared
 * atomic and no queue node. When lines come faster than the output takes them, a batch that is full
 * drops the excess and counts it, and the router's own log says so, rather than requests slowing down.
 */
final class AsyncRequestLog implements RequestLog, AutoCloseable {
    /** Lines one thread may leave waiting between two flushes (about 300,000 a second). */
    static final int MAX_BATCH = 16_384;
    private static final long FLUSH_MILLIS = 50;
    private static final long REPORT_DROPS_EVERY_MILLIS = 10_000;
    private static final Logger log = LoggerFactory.getLogger(AsyncRequestLog.class);

    /** One request line, stamped when the request ended. */
    record Line(long epochMillis, String app, String text) {}

    /** Where lines go: written one by one, flushed after each batch. Called from the writer thread only. */
    interface Output extends AutoCloseable {
        void write(Line line) throws IOException;

        default void flush() throws IOException {}

        /** Lines the output itself had to drop (e.g. datagrams nobody took). */
        default long dropped() {
            return 0;
        }

        String describe();

        @Override
        default void close() {}
    }

    /** The lines one thread logged since the last flush; guarded by its own monitor. */
    private static final class Batch {
        long[] millis = new long[MAX_BATCH];
        String[] apps = new String[MAX_BATCH];
        String[] texts = new String[MAX_BATCH];
        int size;
        long dropped;
    }

    private final List<Batch> batches = new CopyOnWriteArrayList<>();
    private final ThreadLocal<Batch> mine = ThreadLocal.withInitial(() -> {
        Batch b = new Batch();
        batches.add(b);
        return b;
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
    public void log(String app, String line) {
        long now = System.currentTimeMillis();
        Batch b = mine.get();
        synchronized (b) {
            int i = b.size;
            if (i == MAX_BATCH) {
                b.dropped++;
                return;
            }
            b.millis[i] = now;
            b.apps[i] = app;
            b.texts[i] = line;
            b.size = i + 1;
        }
    }

    String describe() {
        return output.describe();
    }

    private void drain() {
        Batch spare = new Batch(); // swapped with each thread's batch in turn: the writer reads one while the thread fills the other
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
            for (Batch b : batches) {
                synchronized (b) {
                    if (b.size == 0) {
                        continue;
                    }
                    long[] millis = b.millis;
                    String[] apps = b.apps;
                    String[] texts = b.texts;
                    b.millis = spare.millis;
                    b.apps = spare.apps;
                    b.texts = spare.texts;
                    spare.millis = millis;
                    spare.apps = apps;
                    spare.texts = texts;
                    spare.size = b.size;
                    b.size = 0;
                }
                for (int i = 0; i < spare.size; i++) {
                    output.write(new Line(spare.millis[i], spare.apps[i], spare.texts[i]));
                    spare.apps[i] = null;
                    spare.texts[i] = null;
                }
                spare.size = 0;
            }
            output.flush();
        } catch (IOException | RuntimeException e) {
            log.warn("request log: cannot write to {}: {}", output.describe(), e.toString());
        }
        return spare;
    }

    private long dropped() {
        long n = 0;
        for (Batch b : batches) {
            synchronized (b) {
                n += b.dropped;
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
