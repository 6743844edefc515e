package io.slipway.controller.logs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every app's log stream (factor XI): the one {@link LogSink} the platform writes to, and the
 * buffers that {@code logs} reads. Memory is bounded overall: each app gets at most
 * {@link Settings#appBufferBytes}, and all apps together {@link Settings#totalBufferBytes} (an app's
 * share shrinks as more apps log). Buffers are loaded from disk when first used.
 */
public final class LogService implements LogSink, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LogService.class);
    private static final Pattern APP = Pattern.compile("[a-z](?:[a-z0-9-]{0,28}[a-z0-9])?");
    private static final long UNKNOWN_APP_TTL_NANOS = TimeUnit.SECONDS.toNanos(2);

    /** The tunables, gathered: where buffers live and how large they may grow. */
    public record Settings(Path dir, long appBufferBytes, long totalBufferBytes, long fileBytes, int maxTails) {
        public Settings {
            if (appBufferBytes < 64 * 1024 || totalBufferBytes < appBufferBytes) {
                throw new IllegalArgumentException("log buffers need at least 64 KiB per app and a total of at least that, got "
                        + appBufferBytes + " per app and " + totalBufferBytes + " in all");
            }
            if (fileBytes < 64 * 1024) {
                throw new IllegalArgumentException("log buffer files need at least 64 KiB, got " + fileBytes);
            }
            if (maxTails < 1) {
                throw new IllegalArgumentException("at least one log tail must be allowed, got " + maxTails);
            }
        }

        /**
         * Under {@code $SLIPWAY_HOME/logs/apps}: 8 MiB of recent lines per app in memory (about
         * 80,000 short lines), 64 MiB for all apps, files rotated at 8 MiB, 256 tails at once.
         */
        public static Settings under(Path home) {
            return new Settings(home.resolve("logs").resolve("apps"), 8L << 20, 64L << 20, 8L << 20, 256);
        }
    }

    private final Settings settings;
    private final Predicate<String> appExists;
    private final Map<String, AppLog> logs = new ConcurrentHashMap<>();
    private final Map<String, Long> unknownUntil = new ConcurrentHashMap<>();
    private final AtomicInteger tails = new AtomicInteger();
    private final ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().name("log-flusher").daemon().unstarted(r));
    private volatile boolean closed;

    /**
     * @param appExists whether an app of that name exists now; asked before the first line of an app
     *                  is kept, so lines for unknown apps (a stray datagram) create nothing
     */
    public LogService(Settings settings, Predicate<String> appExists) {
        this.settings = settings;
        this.appExists = appExists;
        // Lines reach the OS within 200 ms: a killed controller loses no more than that of router
        // and platform lines; dyno output it has not written is read again from Docker on start.
        flusher.scheduleWithFixedDelay(this::flush, 200, 200, TimeUnit.MILLISECONDS);
    }

    @Override
    public void append(LogLine line) {
        append(line, null);
    }

    /** A line of a dyno's output, read from container {@code container} (its 12-character id). */
    void append(LogLine line, String container) {
        if (closed || line == null || line.text() == null) {
            return;
        }
        AppLog appLog = forWriting(line.app());
        if (appLog == null) {
            return;
        }
        String source = line.source() == null ? "app" : line.source();
        String process = line.process() == null || line.process().isBlank() ? source : line.process();
        java.time.Instant time = line.time() == null ? java.time.Instant.now() : line.time();
        String text = line.text();
        if (text.indexOf('\n') < 0) {
            appLog.append(time, source, process, container, LogFormat.clean(text));
            return;
        }
        String[] parts = text.split("\n", -1);
        int n = parts.length;
        if (n > 1 && parts[n - 1].isEmpty()) {
            n--; // "a\nb\n" is two lines
        }
        for (int i = 0; i < n; i++) {
            appLog.append(time, source, process, container, LogFormat.clean(parts[i]));
        }
    }

    /** The app's log for lines to go into: null for a name that is not an existing app. */
    private AppLog forWriting(String app) {
        AppLog existing = logs.get(app);
        if (existing != null) {
            return existing;
        }
        if (app == null || !APP.matcher(app).matches()) {
            return null;
        }
        Long until = unknownUntil.get(app);
        if (until != null && System.nanoTime() - until < 0) {
            return null;
        }
        if (!appExists.test(app)) {
            if (unknownUntil.size() > 10_000) {
                unknownUntil.clear();
            }
            unknownUntil.put(app, System.nanoTime() + UNKNOWN_APP_TTL_NANOS);
            return null;
        }
        unknownUntil.remove(app);
        return open(app);
    }

    /** The log of an app the caller knows exists (it answered 404 otherwise), loaded from disk on first use. */
    AppLog open(String app) {
        AppLog existing = logs.get(app);
        if (existing != null) {
            return existing;
        }
        boolean[] created = {false};
        AppLog appLog = logs.computeIfAbsent(app, a -> {
            AppLog l = new AppLog(a, LogFile.at(settings.dir(), a, settings.fileBytes()), share(logs.size() + 1));
            try {
                l.load();
            } catch (RuntimeException e) {
                log.warn("app={} the log buffer on disk could not be read ({}); starting with an empty one", a, e.getMessage());
            }
            created[0] = true;
            return l;
        });
        if (created[0]) {
            rebalance();
        }
        return appLog;
    }

    private long share(int apps) {
        return Math.min(settings.appBufferBytes(), settings.totalBufferBytes() / Math.max(1, apps));
    }

    private void rebalance() {
        long each = share(logs.size());
        logs.values().forEach(l -> l.budget(each));
    }

    /** Where container {@code container}'s output stands in {@code app}'s log, or null when none of it is there. */
    LogFile.Cursor cursor(String app, String container) {
        AppLog appLog = forWriting(app);
        return appLog == null ? null : appLog.cursor(container);
    }

    /** Forgets the cursors of containers other than {@code live} (12-character ids). */
    void retainContainers(Set<String> live) {
        logs.values().forEach(l -> l.retainContainers(live));
    }

    /** Deletes an app's log, in memory and on disk, and ends its tails: the app is being destroyed. */
    public void remove(String app) {
        AppLog appLog = logs.remove(app);
        if (appLog != null) {
            appLog.close(true);
            rebalance();
        } else if (APP.matcher(app).matches()) {
            try {
                LogFile.at(settings.dir(), app, settings.fileBytes()).delete();
            } catch (IOException e) {
                log.warn("app={} could not delete its log buffer files: {}", app, e.getMessage());
            }
        }
    }

    /**
     * The app was renamed: its history goes with it. The old name's buffer is closed (its tails end:
     * they followed the old name) and its files take the new name, loaded again at the next line or
     * {@code logs}. Lines still arriving for the old name find no app and are dropped.
     */
    public void rename(String was, String now) {
        AppLog old = logs.remove(was);
        if (old != null) {
            old.close(false);
        }
        AppLog stale = logs.remove(now);
        if (stale != null) {
            stale.close(false);
        }
        unknownUntil.remove(now);
        try {
            LogFile.at(settings.dir(), was, settings.fileBytes()).moveTo(LogFile.at(settings.dir(), now, settings.fileBytes()));
            log.info("app={} log history moved from the old name {}", now, was);
        } catch (IOException e) {
            log.warn("app={} could not move the log history of its old name {}: {}", now, was, e.getMessage());
        }
        rebalance();
    }

    /** Takes a tail slot, or returns false when {@link Settings#maxTails} are streaming already. */
    boolean startTail() {
        while (true) {
            int n = tails.get();
            if (n >= settings.maxTails()) {
                return false;
            }
            if (tails.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    void endTail() {
        tails.decrementAndGet();
    }

    /** Tails streaming now. */
    int tails() {
        return tails.get();
    }

    int maxTails() {
        return settings.maxTails();
    }

    /** Bytes of log lines held in memory, all apps together. */
    long bytesInMemory() {
        return logs.values().stream().mapToLong(AppLog::bytes).sum();
    }

    private void flush() {
        try {
            logs.values().forEach(AppLog::flush);
        } catch (RuntimeException e) {
            log.warn("flushing log buffers failed: {}", e.getMessage());
        }
    }

    /** Writes every buffer out and ends every tail. */
    @Override
    public void close() {
        closed = true;
        flusher.shutdownNow();
        logs.values().forEach(l -> l.close(false));
        logs.clear();
    }
}
