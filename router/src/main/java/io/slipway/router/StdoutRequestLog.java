package io.slipway.router;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Request lines on stdout as {@code <time> router app=<app> <line>}, written by a thread of their
 * own in batches every {@link #FLUSH_MILLIS}, so the IO threads never wait on the terminal or the
 * log file, and never wake a thread either (no lock, no signal: a request costs one queue append).
 * When lines come faster than stdout takes them, the excess is dropped and counted.
 */
final class StdoutRequestLog implements RequestLog, AutoCloseable {
    private static final int MAX_QUEUED = 65_536;
    private static final long FLUSH_MILLIS = 50;
    private static final Logger log = LoggerFactory.getLogger(StdoutRequestLog.class);

    private record Line(long epochMillis, String app, String text) {}

    private final ConcurrentLinkedQueue<Line> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    private final OutputStream out;
    private final Thread writer;
    private volatile boolean running = true;

    StdoutRequestLog() {
        this(new FileOutputStream(FileDescriptor.out));
    }

    StdoutRequestLog(OutputStream out) {
        this.out = out;
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

    private void drain() {
        StringBuilder text = new StringBuilder(256 * 1024);
        long reportedDrops = 0;
        long stampMillis = -1;
        String stamp = "";
        while (running || !queue.isEmpty()) {
            LockSupport.parkNanos(FLUSH_MILLIS * 1_000_000);
            try {
                int n = 0;
                for (Line l; (l = queue.poll()) != null; ) {
                    n++;
                    if (l.epochMillis() != stampMillis) { // dozens of lines share a millisecond under load
                        stampMillis = l.epochMillis();
                        stamp = Instant.ofEpochMilli(stampMillis).toString();
                    }
                    text.append(stamp).append(" router app=").append(l.app())
                            .append(' ').append(l.text()).append('\n');
                    if (text.length() > 200 * 1024) {
                        write(text); // one write per batch: lines stay whole
                    }
                }
                queued.addAndGet(-n);
                long d = dropped.get();
                if (d > reportedDrops) {
                    text.append(Instant.now()).append(" router dropped ").append(d - reportedDrops)
                            .append(" request log lines: stdout is slower than the traffic\n");
                    reportedDrops = d;
                }
                if (!text.isEmpty()) {
                    write(text);
                }
            } catch (IOException | RuntimeException e) {
                text.setLength(0);
                log.warn("request log: cannot write to stdout: {}", e.toString());
            }
        }
    }

    private void write(StringBuilder text) throws IOException {
        out.write(text.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
        text.setLength(0);
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
    }
}
