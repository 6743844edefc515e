package io.slipway.controller.logs;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.regex.Pattern;

/**
 * How a log line is written, for people and for the buffer file. People read Heroku's form,
 * {@code 2026-11-24T13:00:00.123456+00:00 app[web.1]: text}; the file keeps the full nanosecond
 * time and the container a dyno line came from, {@code 2026-11-24T13:00:00.123456789Z app[web.1]
 * 3f2a1b9c7d8e text}, so a restarted controller knows where each container's output stopped.
 */
final class LogFormat {
    /** Longer lines are cut here, as Heroku's Logplex cuts at 10,000 bytes. */
    static final int MAX_TEXT_CHARS = 10_000;
    /** A process name: {@code web.1}, {@code run.3}, {@code build.7}, {@code router}, {@code api}. */
    static final Pattern PROCESS = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    static final String NO_CONTAINER = "-";
    static final String CURSOR_RECORD = "#cursor ";

    private LogFormat() {}

    /** The line as {@code logs} prints it, with its newline, in UTF-8. */
    static byte[] display(Instant time, String source, String process, String text) {
        StringBuilder b = new StringBuilder(48 + text.length());
        micros(b, time);
        b.append(' ').append(source).append('[').append(process).append("]: ").append(text).append('\n');
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The line as the buffer file keeps it, with its newline, in UTF-8. */
    static byte[] stored(Instant time, String source, String process, String container, String text) {
        StringBuilder b = new StringBuilder(64 + text.length());
        b.append(time).append(' ').append(source).append('[').append(process).append("] ")
                .append(container == null ? NO_CONTAINER : container).append(' ').append(text).append('\n');
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A line read back from the buffer file, or null when it is not one (a damaged tail, a cursor record). */
    static Stored parse(String line) {
        int sp = line.indexOf(' ');
        int open = sp < 0 ? -1 : line.indexOf('[', sp + 1);
        int close = open < 0 ? -1 : line.indexOf("] ", open + 1);
        int sp2 = close < 0 ? -1 : line.indexOf(' ', close + 2);
        if (sp2 < 0) {
            return null;
        }
        try {
            String container = line.substring(close + 2, sp2);
            return new Stored(Instant.parse(line.substring(0, sp)), line.substring(sp + 1, open),
                    line.substring(open + 1, close), container.equals(NO_CONTAINER) ? null : container,
                    line.substring(sp2 + 1));
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** A line of the buffer file. */
    record Stored(Instant time, String source, String process, String container, String text) {}

    /** {@code 2026-11-24T13:00:00.123456+00:00}: Heroku's timestamp, microseconds, always UTC. */
    static void micros(StringBuilder b, Instant time) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(time.getEpochSecond(), 0, ZoneOffset.UTC);
        b.append(t.getYear()).append('-');
        two(b, t.getMonthValue());
        b.append('-');
        two(b, t.getDayOfMonth());
        b.append('T');
        two(b, t.getHour());
        b.append(':');
        two(b, t.getMinute());
        b.append(':');
        two(b, t.getSecond());
        b.append('.');
        int micros = time.getNano() / 1000;
        for (int div = 100_000; div > 0; div /= 10) {
            b.append((char) ('0' + micros / div % 10));
        }
        b.append("+00:00");
    }

    private static void two(StringBuilder b, int n) {
        b.append((char) ('0' + n / 10)).append((char) ('0' + n % 10));
    }

    /**
     * One log line's text: no line breaks (the caller splits on them first), no trailing carriage
     * return, at most {@link #MAX_TEXT_CHARS} characters.
     */
    static String clean(String text) {
        int end = text.length();
        while (end > 0 && (text.charAt(end - 1) == '\r' || text.charAt(end - 1) == '\n')) {
            end--;
        }
        if (end > MAX_TEXT_CHARS) {
            end = MAX_TEXT_CHARS;
            if (Character.isHighSurrogate(text.charAt(end - 1))) {
                end--;
            }
        }
        return end == text.length() ? text : text.substring(0, end);
    }

    /**
     * A fast reader for Docker's RFC 3339 timestamps ({@code 2026-11-24T13:00:00.123456789Z}, the
     * fraction trimmed of trailing zeros, or absent); anything else goes through {@link Instant#parse}.
     */
    static Instant dockerTime(CharSequence s, int start, int end) {
        if (end - start >= 20 && s.charAt(start + 4) == '-' && s.charAt(start + 10) == 'T' && s.charAt(end - 1) == 'Z') {
            try {
                int year = digits(s, start, 4);
                int month = digits(s, start + 5, 2);
                int day = digits(s, start + 8, 2);
                int hour = digits(s, start + 11, 2);
                int minute = digits(s, start + 14, 2);
                int second = digits(s, start + 17, 2);
                int nanos = 0;
                int i = start + 19;
                if (s.charAt(i) == '.') {
                    int n = 0;
                    for (i++; i < end - 1; i++, n++) {
                        nanos = nanos * 10 + digit(s.charAt(i));
                    }
                    if (n == 0 || n > 9) {
                        throw new NumberFormatException();
                    }
                    for (; n < 9; n++) {
                        nanos *= 10;
                    }
                } else if (i != end - 1) {
                    throw new NumberFormatException();
                }
                long epochDay = java.time.LocalDate.of(year, month, day).toEpochDay();
                return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3600L + minute * 60L + second, nanos);
            } catch (RuntimeException fallThrough) {
                // not the common shape: let the full parser decide
            }
        }
        return Instant.parse(s.subSequence(start, end));
    }

    private static int digits(CharSequence s, int at, int n) {
        int v = 0;
        for (int i = at; i < at + n; i++) {
            v = v * 10 + digit(s.charAt(i));
        }
        return v;
    }

    private static int digit(char c) {
        if (c < '0' || c > '9') {
            throw new NumberFormatException();
        }
        return c - '0';
    }
}
