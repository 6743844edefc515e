package io.slipway.controller.logs;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An app's log buffer on disk, so it survives a controller restart: {@code <app>.log}, and the
 * previous one as {@code <app>.log.1} once it passes {@code maxBytes}; never more than those two.
 * Each new file starts with a {@code #cursor} record per container, so where a container's output
 * stopped is known even after its last line has rotated away. Not thread-safe: {@link AppLog} locks.
 */
final class LogFile {
    private final Path current;
    private final Path previous;
    private final long maxBytes;
    private OutputStream out;
    private long size;
    private boolean dirty;

    private LogFile(Path current, long maxBytes) {
        this.current = current;
        this.previous = current.resolveSibling(current.getFileName() + ".1");
        this.maxBytes = maxBytes;
    }

    /** Where a container's output stands: its last line's Docker time and how many lines carried that exact time. */
    record Cursor(Instant time, int count) {
        Cursor after(Instant t) {
            return t.equals(time) ? new Cursor(time, count + 1) : new Cursor(t, 1);
        }
    }


    static LogFile at(Path dir, String app, long maxBytes) {
        return new LogFile(dir.resolve(app + ".log"), maxBytes);
    }

    /**
     * Reads both files, oldest line first, into {@code lines} (one at a time: a buffer larger than
     * memory allows is never held whole), and returns each container's cursor. A line cut short by
     * a crash is dropped, so appends start on a line of their own.
     */
    Map<String, Cursor> load(java.util.function.Consumer<LogFormat.Stored> lines) {
        Map<String, Cursor> cursors = new HashMap<>();
        for (Path p : List.of(previous, current)) {
            if (!Files.isRegularFile(p)) {
                continue;
            }
            try {
                truncateToLastNewline(p);
                try (BufferedReader r = new BufferedReader(new InputStreamReader(Files.newInputStream(p), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        if (line.startsWith(LogFormat.CURSOR_RECORD)) {
                            String[] f = line.split(" ");
                            if (f.length == 4) {
                                try {
                                    cursors.put(f[1], new Cursor(Instant.parse(f[2]), Integer.parseInt(f[3])));
                                } catch (RuntimeException damaged) {
                                    // a damaged record: that container's output may repeat once
                                }
                            }
                            continue;
                        }
                        LogFormat.Stored s = LogFormat.parse(line);
                        if (s != null) {
                            lines.accept(s);
                            if (s.container() != null) {
                                Cursor c = cursors.get(s.container());
                                cursors.put(s.container(), c == null ? new Cursor(s.time(), 1) : c.after(s.time()));
                            }
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the log buffer " + p + ": " + e.getMessage(), e);
            }
        }
        try {
            size = Files.isRegularFile(current) ? Files.size(current) : 0;
        } catch (IOException e) {
            size = 0;
        }
        return cursors;
    }

    private static void truncateToLastNewline(Path p) throws IOException {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long end = ch.size();
            var block = java.nio.ByteBuffer.allocate(8192);
            for (long pos = end; pos > 0; ) {
                int n = (int) Math.min(block.capacity(), pos);
                block.clear().limit(n);
                ch.read(block, pos - n);
                for (int i = n - 1; i >= 0; i--) {
                    if (block.get(i) == '\n') {
                        long keep = pos - n + i + 1;
                        if (keep < end) {
                            ch.truncate(keep);
                        }
                        return;
                    }
                }
                pos -= n;
            }
            ch.truncate(0); // not one whole line
        }
    }

    /** Appends one stored line; past {@code maxBytes} the file rotates and the new one opens with {@code cursors}. */
    void write(byte[] line, Map<String, Cursor> cursors) throws IOException {
        if (size > 0 && size + line.length > maxBytes) {
            rotate(cursors);
        }
        if (out == null) {
            Files.createDirectories(current.getParent());
            out = new BufferedOutputStream(Files.newOutputStream(current, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.WRITE), 64 * 1024);
        }
        out.write(line);
        size += line.length;
        dirty = true;
    }

    private void rotate(Map<String, Cursor> cursors) throws IOException {
        close();
        Files.move(current, previous, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        size = 0;
        out = new BufferedOutputStream(Files.newOutputStream(current, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE), 64 * 1024);
        for (var e : cursors.entrySet()) {
            byte[] record = (LogFormat.CURSOR_RECORD + e.getKey() + " " + e.getValue().time() + " " + e.getValue().count() + "\n")
                    .getBytes(StandardCharsets.UTF_8);
            out.write(record);
            size += record.length;
        }
    }

    /** Hands buffered lines to the OS: after this a killed controller loses none of them. */
    void flush() throws IOException {
        if (dirty && out != null) {
            out.flush();
            dirty = false;
        }
    }

    void close() throws IOException {
        if (out != null) {
            out.close();
            out = null;
        }
    }

    /** Moves both files to {@code other}'s names (closed first), replacing whatever was left there. */
    void moveTo(LogFile other) throws IOException {
        close();
        other.delete();
        if (Files.exists(previous)) {
            Files.move(previous, other.previous, StandardCopyOption.ATOMIC_MOVE);
        }
        if (Files.exists(current)) {
            Files.move(current, other.current, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    void delete() throws IOException {
        close();
        Files.deleteIfExists(current);
        Files.deleteIfExists(previous);
    }
}
