package io.slipway.controller.logs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One app's recent log lines: a ring numbered by a sequence that only grows, bounded in bytes, and
 * mirrored to its {@link LogFile}. Readers never hold a line: each keeps the next sequence number it
 * wants and copies lines out, so a slow reader only falls behind, and one that falls past the
 * oldest line is told how many it missed.
 */
final class AppLog {
    private static final Logger log = LoggerFactory.getLogger(AppLog.class);
    /** Counted per line on top of its bytes: the entry object, the array and the ring slot. */
    static final int LINE_OVERHEAD = 48;
    private static final int MIN_SLOTS = 256;
    private static final int MAX_SLOTS = 1 << 18;

    /** A line in the ring: what filters look at, and the bytes a client receives. */
    private record Entry(String source, String process, byte[] display) {}

    /** What a read copied: the sequence to read from next, and how many lines had gone before it could. */
    record Read(long next, long skipped) {}

    /** Someone waiting for new lines (a tail); told after each append, must not block. */
    interface Listener {
        void linesAdded();

        /** The app is gone or the platform stops: finish the stream. */
        void closed();
    }

    private final String app;
    private final LogFile file;
    private final Map<String, LogFile.Cursor> cursors = new HashMap<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, String> names = new HashMap<>();
    private Entry[] ring = new Entry[MIN_SLOTS];
    private long first;
    private volatile long next;
    private long bytes;
    private long budget;
    private boolean closed;
    private boolean fileBroken;

    AppLog(String app, LogFile file, long budget) {
        this.app = app;
        this.file = file;
        this.budget = budget;
    }

    /** Fills the ring from the file (the newest lines that fit) and learns each container's cursor. */
    synchronized void load() {
        cursors.putAll(file.load(s -> add(s.source(), s.process(),
                LogFormat.display(s.time(), s.source(), s.process(), s.text()))));
    }

    /** Appends one clean line (no newline in {@code text}); {@code container} for dyno output, else null. */
    void append(Instant time, String source, String process, String container, String text) {
        byte[] display = LogFormat.display(time, source, process, text);
        byte[] stored = LogFormat.stored(time, source, process, container, text);
        synchronized (this) {
            if (closed) {
                return;
            }
            if (container != null) {
                cursors.merge(container, new LogFile.Cursor(time, 1), (old, one) -> old.after(time));
            }
            add(source, process, display);
            writeToFile(stored);
        }
        for (Listener l : listeners) {
            l.linesAdded();
        }
    }

    private void add(String source, String process, byte[] display) {
        if (next - first == ring.length) {
            if (ring.length < MAX_SLOTS) {
                grow();
            } else {
                evictOldest();
            }
        }
        ring[(int) (next & (ring.length - 1))] = new Entry(canonical(source), canonical(process), display);
        bytes += display.length + LINE_OVERHEAD;
        next++;
        trim();
    }

    /** One string object per source and process name, however many lines carry it. */
    private String canonical(String name) {
        if (names.size() > 1024) {
            names.clear(); // run.N and build.N keep coming: keep the table small
        }
        String known = names.putIfAbsent(name, name);
        return known == null ? name : known;
    }

    private void grow() {
        Entry[] bigger = new Entry[ring.length * 2];
        for (long s = first; s < next; s++) {
            bigger[(int) (s & (bigger.length - 1))] = ring[(int) (s & (ring.length - 1))];
        }
        ring = bigger;
    }

    private void evictOldest() {
        int slot = (int) (first & (ring.length - 1));
        bytes -= ring[slot].display.length + LINE_OVERHEAD;
        ring[slot] = null;
        first++;
    }

    private void trim() {
        while (bytes > budget && next - first > 1) {
            evictOldest();
        }
    }

    private void writeToFile(byte[] stored) {
        if (fileBroken) {
            return;
        }
        try {
            file.write(stored, cursors);
        } catch (IOException e) {
            // Keep serving from memory; the buffer on disk is only for restarts.
            fileBroken = true;
            log.warn("app={} cannot write the log buffer file ({}); recent lines stay in memory only", app, e.getMessage());
        }
    }

    /** A smaller share of the platform's log memory, as more apps log. */
    synchronized void budget(long bytes) {
        this.budget = bytes;
        trim();
    }

    synchronized long bytes() {
        return bytes;
    }

    /** The sequence number the next line will get. */
    long next() {
        return next;
    }

    synchronized long first() {
        return first;
    }

    /** Where to start so that the last {@code lines} lines matching {@code query} come first. */
    synchronized long startFor(int lines, LogQuery query) {
        if (lines == 0) {
            return next;
        }
        int found = 0;
        for (long s = next - 1; s >= first; s--) {
            Entry e = ring[(int) (s & (ring.length - 1))];
            if (query.matches(e.source, e.process) && ++found == lines) {
                return s;
            }
        }
        return first;
    }

    /**
     * Copies whole matching lines from sequence {@code from} (up to, not including, {@code until})
     * into {@code out} while they fit. When {@code from} has already left the ring, a line saying
     * how many were skipped comes first and reading goes on from the oldest line.
     */
    synchronized Read read(long from, long until, LogQuery query, ByteBuffer out) {
        long skipped = 0;
        if (from < first) {
            skipped = first - from;
            byte[] marker = skipMarker(skipped);
            if (marker.length > out.remaining()) {
                return new Read(from, 0);
            }
            out.put(marker);
            from = first;
        }
        long end = Math.min(until, next);
        boolean all = query.matchesEverything();
        while (from < end) {
            Entry e = ring[(int) (from & (ring.length - 1))];
            if (all || query.matches(e.source, e.process)) {
                if (e.display.length > out.remaining()) {
                    break;
                }
                out.put(e.display);
            }
            from++;
        }
        return new Read(from, skipped);
    }

    static byte[] skipMarker(long skipped) {
        return LogFormat.display(Instant.now(), "slipway", "logs", skipped + " lines skipped: this client read too slowly");
    }

    /** Where the output of a container stands in this log, or null when none of it is here. */
    synchronized LogFile.Cursor cursor(String container) {
        return cursors.get(container);
    }

    /** Drops the cursors of containers that no longer exist, so rotations stop carrying them. */
    synchronized void retainContainers(Set<String> live) {
        cursors.keySet().retainAll(live);
    }

    void listen(Listener l) {
        listeners.add(l);
    }

    void unlisten(Listener l) {
        listeners.remove(l);
    }

    int listeners() {
        return listeners.size();
    }

    synchronized void flush() {
        if (closed || fileBroken) {
            return;
        }
        try {
            file.flush();
        } catch (IOException e) {
            fileBroken = true;
            log.warn("app={} cannot write the log buffer file ({}); recent lines stay in memory only", app, e.getMessage());
        }
    }

    /** Stops taking lines, writes out what is buffered, and ends every tail. */
    void close(boolean deleteFile) {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            try {
                if (deleteFile) {
                    file.delete();
                } else {
                    file.close();
                }
            } catch (IOException e) {
                log.warn("app={} closing the log buffer file failed: {}", app, e.getMessage());
            }
            ring = new Entry[MIN_SLOTS];
            first = next;
            bytes = 0;
        }
        for (Listener l : listeners) {
            l.closed();
        }
        listeners.clear();
    }

    synchronized boolean isClosed() {
        return closed;
    }

    String app() {
        return app;
    }

    @Override
    public String toString() {
        return "AppLog[app=" + app + " lines=" + (next - first) + " bytes=" + bytes + " budget=" + budget
                + " tails=" + listeners.size() + "]";
    }
}
