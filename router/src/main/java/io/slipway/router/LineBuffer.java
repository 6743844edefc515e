package io.slipway.router;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A log line built as UTF-8 bytes in an array that is reused from one line to the next, so a
 * request's line costs no string, no builder and no encoding pass on the way to the file or the
 * datagram (at tens of thousands of lines a second, those copies were a measurable share of the
 * router's CPU: bench/router.sh, issue 5).
 */
final class LineBuffer {
    private byte[] bytes;
    private int length;

    LineBuffer(int capacity) {
        bytes = new byte[capacity];
    }

    LineBuffer clear() {
        length = 0;
        return this;
    }

    int length() {
        return length;
    }

    /** The array the line is in, bytes {@code 0} to {@link #length()}; valid until the next change. */
    byte[] array() {
        return bytes;
    }

    /** Text, in UTF-8: one bulk copy when it is ASCII, as methods, names and request ids are. */
    LineBuffer append(String s) {
        int n = s.length();
        if (!isAscii(s, n)) {
            return appendUtf8(s, 0, n);
        }
        room(n);
        copyAscii(s, 0, n);
        return this;
    }

    LineBuffer append(char c) {
        if (c >= 0x80) {
            return appendUtf8(String.valueOf(c), 0, 1);
        }
        room(1);
        bytes[length++] = (byte) c;
        return this;
    }

    LineBuffer append(long n) {
        if (n < 0) {
            if (n == Long.MIN_VALUE) {
                return append(Long.toString(n));
            }
            append('-');
            n = -n;
        }
        int digits = 1;
        for (long rest = n / 10; rest != 0; rest /= 10) {
            digits++;
        }
        room(digits);
        for (int i = length + digits - 1; i >= length; i--) {
            bytes[i] = (byte) ('0' + n % 10);
            n /= 10;
        }
        length += digits;
        return this;
    }

    /**
     * A value for inside double quotes: a quote, a backslash or a control character in it is
     * escaped, so no value can end the quotes or the line early and fake fields of its own.
     */
    LineBuffer quoted(String s) {
        int n = s.length();
        int clean = 0;
        while (clean < n && !special(s.charAt(clean))) {
            clean++;
        }
        room(clean);
        copyAscii(s, 0, clean); // the usual case, the whole value: one copy rather than a character at a time
        for (int i = clean; i < n; i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f) {
                room(4);
                bytes[length++] = '\\';
                bytes[length++] = 'x';
                bytes[length++] = HEX[c >> 4];
                bytes[length++] = HEX[c & 0xf];
            } else if (c >= 0x80) {
                int end = i + 1;
                while (end < n && s.charAt(end) >= 0x80) {
                    end++;
                }
                appendUtf8(s, i, end);
                i = end - 1;
            } else {
                room(1);
                bytes[length++] = (byte) c;
            }
        }
        return this;
    }

    @Override
    public String toString() {
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private static boolean special(char c) {
        return c == '"' || c == '\\' || c < 0x20 || c >= 0x7f;
    }

    private static boolean isAscii(String s, int n) {
        for (int i = 0; i < n; i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** Characters known to be ASCII, one byte each, in one bulk copy. */
    @SuppressWarnings("deprecation") // exactly the deprecated method's use: low bytes of known-ASCII characters, no encoder
    private void copyAscii(String s, int from, int to) {
        s.getBytes(from, to, bytes, length);
        length += to - from;
    }

    private LineBuffer appendUtf8(String s, int from, int to) {
        byte[] utf8 = s.substring(from, to).getBytes(StandardCharsets.UTF_8); // rare: names and paths are ASCII on the wire
        room(utf8.length);
        System.arraycopy(utf8, 0, bytes, length, utf8.length);
        length += utf8.length;
        return this;
    }

    private void room(int n) {
        if (length + n > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + n));
        }
    }
}
