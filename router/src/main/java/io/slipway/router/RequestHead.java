package io.slipway.router;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The request line and headers the router sends a dyno, written straight into a buffer: the
 * client's headers without the hop-by-hop ones, then the forwarding headers the router vouches
 * for ({@code X-Forwarded-For/Proto/Host/Port/Server}), which replace whatever the client sent
 * under those names. The same headers Undertow's proxy sends for requests with a body.
 */
final class RequestHead {
    private static final byte[] HTTP_11 = " HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII);

    private RequestHead() {}

    /** Writes the head into {@code out}; false (and {@code out} in an unknown state) when it does not fit. */
    static boolean write(HttpServerExchange exchange, ByteBuffer out) {
        return write(out, exchange.getRequestMethod(), exchange.getRequestURI(), exchange.isHostIncludedInRequestURI(),
                exchange.getQueryString(), exchange.getRequestHeaders(), exchange.getHostName(),
                RequestLine.clientAddress(exchange), exchange.getRequestScheme(), exchange.getHostPort());
    }

    /** The same from the request's parts, as Undertow parsed them (and as the fuzz test makes them up). */
    static boolean write(ByteBuffer out, HttpString method, String target, boolean absolute, String query, HeaderMap in,
                         String host, String clientAddress, String scheme, int port) {
        if (absolute) { // absolute form, http://host/path: the dyno gets the path
            int slash = target.indexOf('/', target.indexOf("//") + 2);
            target = slash < 0 ? "/" : target.substring(slash);
        }
        HeaderValues connection = in.get(Headers.CONNECTION);
        List<String> namedByClient = connection == null ? List.of() : HopByHop.connectionTokens(connection);
        try {
            put(out, method.toString());
            out.put((byte) ' ');
            put(out, target);
            if (query != null && !query.isEmpty()) {
                out.put((byte) '?');
                put(out, query);
            }
            out.put(HTTP_11);
            for (long i = in.fastIterateNonEmpty(); i != -1L; i = in.fiNextNonEmpty(i)) {
                HeaderValues values = in.fiCurrent(i);
                HttpString name = values.getHeaderName();
                String n = name.toString();
                if (replaced(name) || HopByHop.is(n) || HopByHop.contains(namedByClient, n)) { // the client's connection's own
                    continue;
                }
                for (int v = 0; v < values.size(); v++) {
                    header(out, name, values.get(v));
                }
            }
            header(out, Headers.X_FORWARDED_FOR, clientAddress);
            header(out, Headers.X_FORWARDED_PROTO, scheme);
            if (host != null) {
                header(out, Headers.X_FORWARDED_SERVER, host);
                header(out, Headers.X_FORWARDED_HOST, host);
            }
            header(out, Headers.X_FORWARDED_PORT, Integer.toString(port));
            out.put((byte) '\r').put((byte) '\n');
            return true;
        } catch (java.nio.BufferOverflowException e) {
            return false;
        }
    }

    /** How many bytes a buffer must have for the head, at most (for the rare head larger than a pooled buffer). */
    static int upperBound(HttpServerExchange exchange) {
        String host = exchange.getHostName();
        long n = 512L + exchange.getRequestURI().length() + exchange.getQueryString().length()
                + RequestGuard.headerBytes(exchange.getRequestHeaders())
                + 2L * (host == null ? 0 : host.length()); // X-Forwarded-Server and -Host repeat it
        return (int) Math.min(Integer.MAX_VALUE, n);
    }

    /** Set by the router from the connection, never taken from the client. */
    private static boolean replaced(HttpString name) {
        return name.equals(Headers.X_FORWARDED_FOR) || name.equals(Headers.X_FORWARDED_PROTO)
                || name.equals(Headers.X_FORWARDED_HOST) || name.equals(Headers.X_FORWARDED_PORT)
                || name.equals(Headers.X_FORWARDED_SERVER);
    }

    private static void header(ByteBuffer out, HttpString name, String value) {
        name.appendTo(out);
        out.put((byte) ':').put((byte) ' ');
        put(out, value);
        out.put((byte) '\r').put((byte) '\n');
    }

    /**
     * Header text is ISO-8859-1 as Undertow read it. A CR or LF would end the line early and let the
     * rest pass as a header of its own (request splitting), so it becomes a space.
     */
    private static void put(ByteBuffer out, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\r' || bytes[i] == '\n') {
                bytes[i] = ' ';
            }
        }
        out.put(bytes);
    }
}
