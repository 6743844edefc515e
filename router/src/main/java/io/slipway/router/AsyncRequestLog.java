package io.slipway.router;

import java.io.IOException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Request lines handed to a thread of their own, which writes them out every {@link #FLUSH_MILLIS}:
 * an IO thread never waits on a file, a socket or a lock, and never wakes a thread either (a
 * request costs one queue append). When lines come faster than the output takes them, the excess
 * is dropped and counted, and the router's own log says so, rather than requests slowing down.
 */
final class AsyncRequestLog implements RequestLog, AutoCloseable {
    private static final int MAX_QUEUED = 65_536;
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

    private final ConcurrentLinkedQueue<Line> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
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
        if (queued.incrementAndGet() > MAX_QUEUED) {
            queued.decrementAndGet();
            dropped.incrementAndGet();
            return;
        }
        queue.add(new Line(System.currentTimeMillis(), app, line));
    }

    String describe() {
        return output.describe();
    }

    private void drain() {
        long reported = 0;
        long lastReport = System.currentTimeMillis();
        while (running || !queue.isEmpty()) {
            LockSupport.parkNanos(FLUSH_MILLIS * 1_000_000);
            try {
                int n = 0;
                for (Line l; (l = queue.poll()) != null; ) {
                    n++;
                    output.write(l);
                }
                queued.addAndGet(-n);
                output.flush();
            } catch (IOException | RuntimeException e) {
                log.warn("request log: cannot write to {}: {}", output.describe(), e.toString());
            }
            long now = System.currentTimeMillis();
            long total = dropped.get() + output.dropped();
            if (total > reported && now - lastReport >= REPORT_DROPS_EVERY_MILLIS) {
                log.warn("request log: {} lines for {} dropped in the last {} s (more than it takes)",
                        total - reported, output.describe(), (now - lastReport) / 1000);
                reported = total;
                lastReport = now;
            }
        }
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
