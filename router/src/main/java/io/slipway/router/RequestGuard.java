package io.slipway.router;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;

/**
 * Refuses requests whose framing or Host cannot be trusted, before anything is forwarded: both
 * Content-Length and Transfer-Encoding (request smuggling), a transfer coding other than chunked,
 * several or non-numeric Content-Lengths, a missing or malformed Host (400), and headers larger
 * than {@link #maxHeaderBytes} (431). All answers close the connection. It also honours {@code close}
 * among several {@code Connection} tokens, which Undertow reads only when it stands alone.
 *
 * <p>What Undertow 2.3 does before this handler runs, checked by RefusedRequestsTest: it answers a
 * bare {@code 400} and closes on Content-Length together with Transfer-Encoding, on a duplicate
 * Host, on a missing Host in HTTP/1.1, and on headers past {@code MAX_HEADER_SIZE} (set above our
 * limit so that ordinary oversized headers get the 431 page). The checks here repeat the first
 * three so that the guarantee does not rest on a library default.
 */
final class RequestGuard implements HttpHandler {
    private final int maxHeaderBytes;
    private final HttpHandler next;

    RequestGuard(int maxHeaderBytes, HttpHandler next) {
        this.maxHeaderBytes = maxHeaderBytes;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        HeaderMap headers = exchange.getRequestHeaders();
        HeaderValues te = headers.get(Headers.TRANSFER_ENCODING);
        HeaderValues cl = headers.get(Headers.CONTENT_LENGTH);
        if (te != null && cl != null) {
            ErrorPage.send(exchange, RouterError.BAD_REQUEST, "The request has both Content-Length and Transfer-Encoding.");
            return;
        }
        if (te != null && (te.size() != 1 || !te.getFirst().trim().equalsIgnoreCase("chunked"))) {
            ErrorPage.send(exchange, RouterError.BAD_REQUEST, "The only Transfer-Encoding the router accepts is chunked.");
            return;
        }
        if (cl != null && (cl.size() != 1 || !isLength(cl.getFirst()))) {
            ErrorPage.send(exchange, RouterError.BAD_REQUEST, "The request's Content-Length is not one number.");
            return;
        }
        if (headerBytes(headers) > maxHeaderBytes) {
            ErrorPage.send(exchange, RouterError.HEADERS_TOO_LARGE,
                    "The request's headers are larger than " + maxHeaderBytes / 1024 + " KiB, so it was not passed on to any app.");
            return;
        }
        HostName host = HostName.parseReusing(headers.getFirst(Headers.HOST));
        if (host == null) {
            ErrorPage.send(exchange, RouterError.BAD_REQUEST, "The request has no valid Host header.");
            return;
        }
        exchange.putAttachment(HostName.KEY, host);
        HeaderValues connection = headers.get(Headers.CONNECTION);
        if (connection != null && exchange.isPersistent() && HopByHop.contains(HopByHop.connectionTokens(connection), "close")) {
            exchange.setPersistent(false); // Undertow sees "close" only when it stands alone
        }
        next.handleRequest(exchange);
    }

    private static boolean isLength(String s) {
        int n = s.length();
        if (n == 0 || n > 18) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** The headers as they came on the wire: "Name: value\r\n" each. */
    static long headerBytes(HeaderMap headers) {
        long total = 0;
        for (long i = headers.fastIterateNonEmpty(); i != -1L; i = headers.fiNextNonEmpty(i)) { // no iterator per header
            HeaderValues values = headers.fiCurrent(i);
            int name = values.getHeaderName().length() + 4;
            for (int v = 0; v < values.size(); v++) {
                total += name + values.get(v).length();
            }
        }
        return total;
    }
}
