package io.slipway.router;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Request lines on stdout as {@code <time> router app=<app> <line>}, written by a thread of their
 * own in batches so the IO threads never wait on the terminal or the log file. When lines come
 * faster than stdout takes them, the excess is dropped and counted rather than slowing requests.
 */
final class StdoutRequestLog implements RequestLog, AutoCloseable {
    private static final int QUEUE = 16_384;
    private static final Logger log = LoggerFactory.getLogger(StdoutRequestLog.class);

    private final BlockingQueue<String> queue = new ArrayBlockingQueue<>(QUEUE);
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
        if (!queue.offer(Instant.now() + " router app=" + app + " " + line + "\n")) {
            dropped.incrementAndGet();
        }
    }

    long dropped() {
        return dropped.get();
    }

    private void drain() {
        List<String> batch = new ArrayList<>(256);
        StringBuilder text = new StringBuilder(64 * 1024);
        long reportedDrops = 0;
        while (running || !queue.isEmpty()) {
            try {
                String first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, 1023);
                for (String s : batch) {
                    text.append(s);
                }
                long d = dropped.get();
                if (d > reportedDrops) {
                    text.append(Instant.now()).append(" router dropped ").append(d - reportedDrops)
                            .append(" request log lines: stdout is slower than the traffic\n");
                    reportedDrops = d;
                }
                out.write(text.toString().getBytes(StandardCharsets.UTF_8)); // one write per batch: lines stay whole
                out.flush();
            } catch (InterruptedException e) {
                running = false;
            } catch (IOException | RuntimeException e) {
                log.warn("request log: cannot write to stdout: {}", e.toString());
            } finally {
                batch.clear();
                text.setLength(0);
            }
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            writer.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
