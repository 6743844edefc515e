package io.slipway.router;

import io.undertow.util.HeaderMap;
import io.undertow.util.HttpString;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A dyno's response line and headers, read from the bytes the router has received so far, and
 * what they say about the body that follows: its framing, and whether the connection can carry
 * another request after it. Hop-by-hop headers (RFC 9110, 7.6.1) are left out of the headers
 * {@link #copyTo} passes on: they describe the dyno's connection, not the client's.
 *
 * <p>Parsing is strict where leniency would let a response be read two ways (several different
 * Content-Lengths, folded header lines, a malformed status line): those are a {@link Malformed}
 * response, which the router answers with H17 rather than guessing.
 *
 * <p>A dyno sends the same header names in every response, and mostly the same values (its
 * server name, a content type, a date that changes once a second), so each IO thread keeps the
 * names it has met, with the last value of each, and a response costs a string only for a value
 * that changed. Before, reading a head allocated about two kilobytes (bench/router.sh, JFR).
 */
final class ResponseHead {
    /** The body runs until the dyno closes the connection: no Content-Length, no chunked coding. */
    static final long UNTIL_CLOSE = -1;

    final int status;
    /** Bytes of the head, blank line included: where the body starts in the buffer. */
    final int length;
    /** The body's length, or {@link #UNTIL_CLOSE}; meaningless when {@link #chunked}. */
    final long contentLength;
    final boolean chunked;
    /** The dyno means to keep the connection open after this response (if its body has an end). */
    final boolean keepAlive;
    /** The end-to-end headers, in the dyno's order: {@code names[i]: values[i]}. */
    private final HttpString[] names;
    private final String[] values;

    private ResponseHead(int status, int length, long contentLength, boolean chunked, boolean keepAlive,
            HttpString[] names, String[] values) {
        this.status = status;
        this.length = length;
        this.contentLength = contentLength;
        this.chunked = chunked;
        this.keepAlive = keepAlive;
        this.names = names;
        this.values = values;
    }

    /** An interim response (100 Continue, 103 Early Hints): the final one follows it. */
    boolean interim() {
        return status >= 100 && status < 200;
    }

    /** The response can have no body, whatever its headers say (RFC 9112, 6.3). */
    static boolean bodiless(int status, boolean headRequest) {
        return headRequest || status == 204 || status == 304 || (status >= 100 && status < 200);
    }

    /**
     * Adds the dyno's end-to-end headers to {@code to}, except those {@code to} already holds: the
     * router's own (X-Request-Id) stand, with none of the dyno's values beside them.
     */
    void copyTo(HeaderMap to) {
        if (to.size() > 0) {
            for (int i = 0; i < names.length; i++) {
                if (to.contains(names[i])) {
                    copyAroundOwn(to);
                    return;
                }
            }
        }
        for (int i = 0; i < names.length; i++) {
            to.add(names[i], values[i]);
        }
    }

    /** The rare case of a dyno setting a header the router sets too. */
    private void copyAroundOwn(HeaderMap to) {
        HeaderMap own = new HeaderMap();
        for (int i = 0; i < names.length; i++) {
            if (to.contains(names[i]) && !own.contains(names[i])) {
                own.put(names[i], "");
            }
        }
        for (int i = 0; i < names.length; i++) {
            if (!own.contains(names[i])) {
                to.add(names[i], values[i]);
            }
        }
    }

    /** The end-to-end headers on their own (for tests). */
    HeaderMap headers() {
        HeaderMap h = new HeaderMap();
        copyTo(h);
        return h;
    }

    /** A response that cannot be read one way only; the message says how, for the router's log. */
    static final class Malformed extends Exception {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    /** What the router does with a header, decided once per name it meets. */
    private enum Kind { END_TO_END, CONTENT_LENGTH, TRANSFER_ENCODING, CONNECTION, HOP_BY_HOP }

    /** A header name as a dyno sent it, byte for byte, with the last value it had on this thread. */
    private static final class Name {
        final byte[] bytes;
        final HttpString name;
        final Kind kind;
        /** The last value this name had, as bytes (compared at once) and as the string passed on. */
        byte[] lastBytes;
        String lastValue;

        Name(byte[] bytes, String name) {
            this.bytes = bytes;
            this.name = HttpString.tryFromString(name);
            this.kind = name.equalsIgnoreCase("Content-Length") ? Kind.CONTENT_LENGTH
                    : name.equalsIgnoreCase("Transfer-Encoding") ? Kind.TRANSFER_ENCODING
                    : name.equalsIgnoreCase("Connection") ? Kind.CONNECTION
                    : HopByHop.is(name) ? Kind.HOP_BY_HOP
                    : Kind.END_TO_END;
        }
    }

    /**
     * One IO thread's reading state: a copy of the head to parse from, the names met so far (a
     * fixed table, so a dyno inventing names cannot grow it: a newcomer takes its slot's place),
     * and the headers of the head being read.
     */
    private static final class Reader {
        static final int NAME_SLOTS = 128;
        byte[] head = new byte[4096];
        final Name[] names = new Name[NAME_SLOTS];
        HttpString[] headerNames = new HttpString[32];
        String[] headerValues = new String[32];
        int headers;

        Name name(int from, int to) throws Malformed {
            int hash = 1;
            for (int i = from; i < to; i++) {
                hash = 31 * hash + head[i];
            }
            int slot = (hash ^ (hash >>> 7)) & (NAME_SLOTS - 1);
            Name known = names[slot];
            if (known != null && Arrays.equals(known.bytes, 0, known.bytes.length, head, from, to)) {
                return known;
            }
            for (int i = from; i < to; i++) {
                byte c = head[i];
                if (c <= ' ' || c >= 127) { // (bytes are signed: anything past 127 is below ' ')
                    throw new Malformed("bad header name: " + printable(ascii(head, from, to)));
                }
            }
            Name met = new Name(Arrays.copyOfRange(head, from, to), ascii(head, from, to));
            names[slot] = met;
            return met;
        }

        /** The value as a string: the one this name had last time when the bytes are the same. */
        String value(Name name, int from, int to) {
            byte[] last = name.lastBytes;
            if (last != null && Arrays.equals(last, 0, last.length, head, from, to)) {
                return name.lastValue;
            }
            name.lastBytes = Arrays.copyOfRange(head, from, to);
            name.lastValue = ascii(head, from, to);
            return name.lastValue;
        }

        void add(HttpString name, String value) {
            if (headers == headerNames.length) {
                headerNames = Arrays.copyOf(headerNames, headers * 2);
                headerValues = Arrays.copyOf(headerValues, headers * 2);
            }
            headerNames[headers] = name;
            headerValues[headers] = value;
            headers++;
        }

        /** Leaves out every header with this name, as Connection asked. */
        void remove(String name) {
            int kept = 0;
            for (int i = 0; i < headers; i++) {
                if (!headerNames[i].equalToString(name)) {
                    headerNames[kept] = headerNames[i];
                    headerValues[kept] = headerValues[i];
                    kept++;
                }
            }
            Arrays.fill(headerNames, kept, headers, null);
            Arrays.fill(headerValues, kept, headers, null);
            headers = kept;
        }

        ResponseHead done(int status, int length, long contentLength, boolean chunked, boolean keepAlive) {
            ResponseHead h = new ResponseHead(status, length, contentLength, chunked, keepAlive,
                    Arrays.copyOf(headerNames, headers), Arrays.copyOf(headerValues, headers));
            Arrays.fill(headerNames, 0, headers, null);
            Arrays.fill(headerValues, 0, headers, null);
            headers = 0;
            return h;
        }
    }

    private static final ThreadLocal<Reader> readers = ThreadLocal.withInitial(Reader::new);

    /**
     * The head at the start of {@code from} (bytes {@code 0} to {@code from.position()}), or null when
     * its end has not arrived yet. Does not move the buffer's position.
     */
    static ResponseHead parse(ByteBuffer from) throws Malformed {
        Reader r = readers.get();
        int received = from.position();
        if (r.head.length < received) {
            r.head = new byte[Math.max(received, 2 * r.head.length)];
        }
        byte[] buf = r.head;
        from.get(0, buf, 0, received); // one bulk copy into this thread's array, which is quicker to search than the buffer
        int end = endOfHead(buf, received);
        if (end < 0) {
            return null;
        }
        r.headers = 0;
        // Every line below ends within the head: endOfHead found the blank line that ends the last one.
        int lineEnd = lineEnd(buf, 0, end);
        int statusEnd = trimCr(buf, lineEnd);
        if (statusEnd < 12 || !startsWith(buf, HTTP_1) || buf[8] != ' ' || (statusEnd > 12 && buf[12] != ' ')) {
            throw new Malformed("bad status line: " + printable(ascii(buf, 0, statusEnd)));
        }
        byte minor = buf[7];
        if (minor != '0' && minor != '1') {
            throw new Malformed("unsupported protocol: " + printable(ascii(buf, 0, 8)));
        }
        int status = (int) digits(buf, 9, 12);
        if (status < 100) {
            throw new Malformed("bad status code: " + printable(ascii(buf, 0, statusEnd)));
        }
        boolean http11 = minor == '1';

        long contentLength = UNTIL_CLOSE;
        boolean chunked = false;
        boolean close = !http11;
        List<String> connectionValues = null;
        int pos = lineEnd + 1;
        while (true) {
            lineEnd = lineEnd(buf, pos, end);
            int valueEnd = trimCr(buf, lineEnd);
            if (valueEnd == pos) {
                pos = lineEnd + 1;
                break; // the blank line: end of the head
            }
            byte first = buf[pos];
            if (first == ' ' || first == '\t') {
                throw new Malformed("folded header line");
            }
            int colon = indexOf(buf, (byte) ':', pos, valueEnd);
            if (colon <= pos) {
                throw new Malformed("header line without a name: " + printable(ascii(buf, pos, valueEnd)));
            }
            Name name = r.name(pos, colon);
            int v = colon + 1;
            int vEnd = valueEnd;
            while (v < vEnd && (buf[v] == ' ' || buf[v] == '\t')) {
                v++;
            }
            while (vEnd > v && (buf[vEnd - 1] == ' ' || buf[vEnd - 1] == '\t')) {
                vEnd--;
            }
            pos = lineEnd + 1;

            switch (name.kind) {
                case CONTENT_LENGTH -> {
                    long n = vEnd - v <= 18 ? digits(buf, v, vEnd) : -1;
                    if (n < 0 || (contentLength != UNTIL_CLOSE && n != contentLength)) {
                        throw new Malformed("bad or conflicting Content-Length: " + printable(ascii(buf, v, vEnd)));
                    }
                    contentLength = n;
                    r.add(name.name, r.value(name, v, vEnd));
                }
                case TRANSFER_ENCODING -> {
                    // Only the last coding decides the framing; the router passes the body on de-chunked.
                    int lastFrom = v;
                    for (int i = v; i < vEnd; i++) {
                        if (buf[i] == ',') {
                            lastFrom = i + 1;
                        }
                    }
                    chunked = ascii(buf, lastFrom, vEnd).strip().equalsIgnoreCase("chunked");
                    close |= !chunked; // any other final coding runs until the connection closes
                }
                case CONNECTION -> {
                    if (connectionValues == null) {
                        connectionValues = new ArrayList<>(1);
                    }
                    connectionValues.add(ascii(buf, v, vEnd));
                }
                case HOP_BY_HOP -> { }
                case END_TO_END -> r.add(name.name, r.value(name, v, vEnd));
            }
        }
        if (connectionValues != null) {
            for (String t : HopByHop.connectionTokens(connectionValues)) {
                if (t.equalsIgnoreCase("close")) {
                    close = true;
                } else if (t.equalsIgnoreCase("keep-alive")) {
                    close &= http11; // HTTP/1.0 keeps the connection only when it says so
                } else {
                    r.remove(t); // a header the dyno named as its connection's own
                }
            }
        }
        if (chunked && contentLength != UNTIL_CLOSE) {
            // Both framings at once (RFC 9112, 6.3): chunked wins, and the connection is not trusted again.
            r.remove("Content-Length");
            contentLength = UNTIL_CLOSE;
            close = true;
        }
        return r.done(status, pos, contentLength, chunked, !close);
    }

    private static final byte[] HTTP_1 = "HTTP/1.".getBytes(StandardCharsets.US_ASCII);

    /** Where the head ends, just past its blank line (CRLF CRLF, or bare LFs), or -1 if it has not arrived. */
    private static int endOfHead(byte[] buf, int end) {
        for (int i = 1; i < end; i++) {
            if (buf[i] == '\n') {
                byte before = buf[i - 1];
                if (before == '\n' || (before == '\r' && i >= 2 && buf[i - 2] == '\n')) {
                    return i + 1;
                }
            }
        }
        return -1;
    }

    private static int lineEnd(byte[] buf, int from, int end) {
        return indexOf(buf, (byte) '\n', from, end);
    }

    /** Where a line ending at the LF at {@code lf} ends without its CR. */
    private static int trimCr(byte[] buf, int lf) {
        return lf > 0 && buf[lf - 1] == '\r' ? lf - 1 : lf;
    }

    private static int indexOf(byte[] buf, byte b, int from, int end) {
        for (int i = from; i < end; i++) {
            if (buf[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static String ascii(byte[] buf, int from, int to) {
        return new String(buf, from, to - from, StandardCharsets.ISO_8859_1);
    }

    private static boolean startsWith(byte[] buf, byte[] prefix) {
        return Arrays.equals(buf, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** The decimal number in {@code buf[from, to)}, or -1 if that is empty or holds anything but digits. */
    private static long digits(byte[] buf, int from, int to) {
        if (from == to) {
            return -1;
        }
        long n = 0;
        for (int i = from; i < to; i++) {
            byte c = buf[i];
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    /** For log lines: at most 80 characters, control characters shown as '?'. */
    private static String printable(String s) {
        String cut = s.length() > 80 ? s.substring(0, 80) + "…" : s;
        StringBuilder b = new StringBuilder(cut.length());
        cut.chars().forEach(c -> b.append(c < 0x20 || c == 0x7f ? '?' : (char) c));
        return b.toString();
    }
}
