package io.slipway.router;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;

/**
 * Refuses requests whose framing or Host cannot be trusted, before anything is forwarded: both
 * Content-Length and Transfer-Encoding (request smuggling), a transfer coding other than chunked,
 * several or non-numeric Content-Lengths, a missing or malformed Host (400), a header name that is
 * not a token or a value with a control character other than a tab (400), and headers larger
 * than {@link #maxHeaderBytes} (431). An absolute-form target is routed by its URL's host, which
 * replaces the Host header. All answers close the connection. It also honours {@code close}
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
        long bytes = checkedHeaderBytes(headers);
        if (bytes == BAD_NAME) {
            ErrorPage.send(exchange, RouterError.BAD_REQUEST,
                    "A header name holds a character a header name cannot have (a space, a control character or a separator).");
            return;
        }
        if (bytes == BAD_VALUE) {
            ErrorPage.send(exchange, RouterError.BAD_REQUEST,
                    "A header value holds a control character (such as NUL); only a tab is allowed among them.");
            return;
        }
        if (bytes > maxHeaderBytes) {
            ErrorPage.send(exchange, RouterError.HEADERS_TOO_LARGE,
                    "The request's headers are larger than " + maxHeaderBytes / 1024 + " KiB, so it was not passed on to any app.");
            return;
        }
        if (exchange.isHostIncludedInRequestURI()) {
            // Absolute form, GET http://shop.localhost/cart: the URL's host decides, and replaces the Host header (RFC 9112, 3.2.2).
            String authority = authority(exchange.getRequestURI());
            if (authority == null || HostName.parse(authority) == null) {
                ErrorPage.send(exchange, RouterError.BAD_REQUEST, "The request's URL has no valid host name (or carries a user name).");
                return;
            }
            headers.put(Headers.HOST, authority);
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

    /** {@link #checkedHeaderBytes}' answer for a header name that is not a token (RFC 9110, 5.1). */
    static final long BAD_NAME = -1;
    /** {@link #checkedHeaderBytes}' answer for a value with a control character other than a tab (RFC 9110, 5.5). */
    static final long BAD_VALUE = -2;

    /**
     * The headers' size as they came on the wire, in the same pass that checks them: every name a
     * token, no whitespace between a name and its colon (RFC 9112, 5.1), no control character but a
     * tab in any value. Such a header reads differently to different servers (one cuts the value at
     * a NUL, one keeps it; one ignores "Transfer-Encoding :", one obeys it), so the request is
     * refused rather than passed on. Undertow's parser has already refused separators in names;
     * it ends a name at whitespace, so "Name : v" arrives as value ": v" and is caught here, while
     * "Bad Name: v" arrives as the well-formed header {@code Bad: Name: v} and is passed on as that.
     */
    static long checkedHeaderBytes(HeaderMap headers) {
        long total = 0;
        for (long i = headers.fastIterateNonEmpty(); i != -1L; i = headers.fiNextNonEmpty(i)) {
            HeaderValues values = headers.fiCurrent(i);
            HttpString name = values.getHeaderName();
            int n = name.length();
            for (int c = 0; c < n; c++) {
                if (!TOKEN[name.byteAt(c) & 0xff]) {
                    return BAD_NAME;
                }
            }
            for (int v = 0; v < values.size(); v++) {
                String value = values.get(v);
                int length = value.length();
                if (length > 0 && value.charAt(0) == ':' && (length == 1 || value.charAt(1) == ' ' || value.charAt(1) == '\t')) {
                    return BAD_NAME; // "Name : value": Undertow ends a name at whitespace and keeps the colon in the value
                }
                for (int c = 0; c < length; c++) {
                    char ch = value.charAt(c);
                    if ((ch < 0x20 && ch != '\t') || ch == 0x7f) {
                        return BAD_VALUE;
                    }
                }
                total += n + 4 + length;
            }
        }
        return total;
    }

    /** tchar (RFC 9110, 5.6.2): the characters a header name is made of. */
    private static final boolean[] TOKEN = new boolean[256];

    static {
        for (char c = '0'; c <= '9'; c++) {
            TOKEN[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            TOKEN[c] = true;
            TOKEN[c - 'a' + 'A'] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TOKEN[c] = true;
        }
    }

    /** {@code host:port} of an absolute-form target {@code scheme://host:port/path}; null when there is none or it names a user. */
    static String authority(String target) {
        int start = target.indexOf("://");
        if (start < 0) {
            return null;
        }
        start += 3;
        int end = target.indexOf('/', start);
        String authority = target.substring(start, end < 0 ? target.length() : end);
        return authority.isEmpty() || authority.indexOf('@') >= 0 ? null : authority;
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
