package io.slipway.router;

import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A dyno's response line and headers, read from the bytes the router has received so far, and
 * what they say about the body that follows: its framing, and whether the connection can carry
 * another request after it. Hop-by-hop headers (RFC 9110, 7.6.1) are left out of {@link #headers}:
 * they describe the dyno's connection, not the client's.
 *
 * <p>Parsing is strict where leniency would let a response be read two ways (several different
 * Content-Lengths, folded header lines, a malformed status line): those are a {@link Malformed}
 * response, which the router answers with H17 rather than guessing.
 */
final class ResponseHead {
    /** The body runs until the dyno closes the connection: no Content-Length, no chunked coding. */
    static final long UNTIL_CLOSE = -1;

    final int status;
    /** Bytes of the head, blank line included: where the body starts in the buffer. */
    final int length;
    final HeaderMap headers;
    /** The body's length, or {@link #UNTIL_CLOSE}; meaningless when {@link #chunked}. */
    final long contentLength;
    final boolean chunked;
    /** The dyno means to keep the connection open after this response (if its body has an end). */
    final boolean keepAlive;

    private ResponseHead(int status, int length, HeaderMap headers, long contentLength, boolean chunked, boolean keepAlive) {
        this.status = status;
        this.length = length;
        this.headers = headers;
        this.contentLength = contentLength;
        this.chunked = chunked;
        this.keepAlive = keepAlive;
    }

    /** An interim response (100 Continue, 103 Early Hints): the final one follows it. */
    boolean interim() {
        return status >= 100 && status < 200;
    }

    /** The response can have no body, whatever its headers say (RFC 9112, 6.3). */
    static boolean bodiless(int status, boolean headRequest) {
        return headRequest || status == 204 || status == 304 || (status >= 100 && status < 200);
    }

    /** A response that cannot be read one way only; the message says how, for the router's log. */
    static final class Malformed extends Exception {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The head at the start of {@code from} (bytes {@code 0} to {@code from.position()}), or null when
     * its end has not arrived yet. Does not move the buffer's position.
     */
    static ResponseHead parse(ByteBuffer from) throws Malformed {
        int end = endOfHead(from, from.position());
        if (end < 0) {
            return null;
        }
        byte[] buf = new byte[end]; // the head alone (not the body after it), in one bulk copy to parse from
        from.get(0, buf);
        // Every line below ends within buf: endOfHead found the blank line that ends the last one.
        int lineEnd = lineEnd(buf, 0, end);
        String statusLine = ascii(buf, 0, trimCr(buf, lineEnd));
        if (statusLine.length() < 12 || !statusLine.startsWith("HTTP/1.") || statusLine.charAt(8) != ' '
                || (statusLine.length() > 12 && statusLine.charAt(12) != ' ')) {
            throw new Malformed("bad status line: " + printable(statusLine));
        }
        char minor = statusLine.charAt(7);
        if (minor != '0' && minor != '1') {
            throw new Malformed("unsupported protocol: " + printable(statusLine.substring(0, 8)));
        }
        int status = digits(statusLine, 9, 12);
        if (status < 100) {
            throw new Malformed("bad status code: " + printable(statusLine));
        }
        boolean http11 = minor == '1';

        HeaderMap headers = new HeaderMap();
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
            for (int i = pos; i < colon; i++) {
                byte c = buf[i];
                if (c <= ' ' || c >= 127) {
                    throw new Malformed("bad header name: " + printable(ascii(buf, pos, colon)));
                }
            }
            String name = ascii(buf, pos, colon);
            int v = colon + 1;
            int vEnd = valueEnd;
            while (v < vEnd && (buf[v] == ' ' || buf[v] == '\t')) {
                v++;
            }
            while (vEnd > v && (buf[vEnd - 1] == ' ' || buf[vEnd - 1] == '\t')) {
                vEnd--;
            }
            String value = ascii(buf, v, vEnd); // without the whitespace around it, in one string
            pos = lineEnd + 1;

            if (name.equalsIgnoreCase("Content-Length")) {
                long n = isDigits(value) ? Long.parseLong(value) : -2;
                if (n < 0 || (contentLength != UNTIL_CLOSE && n != contentLength)) {
                    throw new Malformed("bad or conflicting Content-Length: " + printable(value));
                }
                contentLength = n;
                headers.add(HttpString.tryFromString(name), value);
            } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                // Only the last coding decides the framing; the router passes the body on de-chunked.
                int comma = value.lastIndexOf(',');
                chunked = value.substring(comma + 1).strip().equalsIgnoreCase("chunked");
                close |= !chunked; // any other final coding runs until the connection closes
            } else if (name.equalsIgnoreCase("Connection")) {
                if (connectionValues == null) {
                    connectionValues = new ArrayList<>(1);
                }
                connectionValues.add(value);
            } else if (!HopByHop.is(name)) {
                headers.add(HttpString.tryFromString(name), value);
            }
        }
        if (connectionValues != null) {
            for (String t : HopByHop.connectionTokens(connectionValues)) {
                if (t.equalsIgnoreCase("close")) {
                    close = true;
                } else if (t.equalsIgnoreCase("keep-alive")) {
                    close &= http11; // HTTP/1.0 keeps the connection only when it says so
                } else {
                    headers.remove(t); // a header the dyno named as its connection's own
                }
            }
        }
        if (chunked && contentLength != UNTIL_CLOSE) {
            // Both framings at once (RFC 9112, 6.3): chunked wins, and the connection is not trusted again.
            headers.remove(Headers.CONTENT_LENGTH);
            contentLength = UNTIL_CLOSE;
            close = true;
        }
        return new ResponseHead(status, pos, headers, contentLength, chunked, !close);
    }

    /** Where the head ends, just past its blank line (CRLF CRLF, or bare LFs), or -1 if it has not arrived. */
    private static int endOfHead(ByteBuffer buf, int end) {
        for (int i = 1; i < end; i++) {
            if (buf.get(i) == '\n') {
                byte before = buf.get(i - 1);
                if (before == '\n' || (before == '\r' && i >= 2 && buf.get(i - 2) == '\n')) {
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

    private static int digits(String s, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    private static boolean isDigits(String s) {
        if (s.isEmpty() || s.length() > 18) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** For log lines: at most 80 characters, control characters shown as '?'. */
    private static String printable(String s) {
        String cut = s.length() > 80 ? s.substring(0, 80) + "…" : s;
        StringBuilder b = new StringBuilder(cut.length());
        cut.chars().forEach(c -> b.append(c < 0x20 || c == 0x7f ? '?' : (char) c));
        return b.toString();
    }
}
