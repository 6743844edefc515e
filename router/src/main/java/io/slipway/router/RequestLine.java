package io.slipway.router;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.net.InetSocketAddress;

/**
 * The router's logfmt line for one request, worded as Heroku's router words it:
 * {@code at=info method=GET path="/" host=shop.localhost request_id=… fwd="127.0.0.1" dyno=web.1
 * connect=1ms service=12ms status=200 bytes=1234 protocol=http}; errors start
 * {@code at=error code=H12 desc="Request timeout"}.
 */
final class RequestLine {
    private RequestLine() {}

    /** Each thread's builder, reused: a line costs one string, not a builder and its array too. */
    private static final ThreadLocal<StringBuilder> builders = ThreadLocal.withInitial(() -> new StringBuilder(512));

    static String format(HttpServerExchange exchange, Forwarding f, long endNanos) {
        StringBuilder b = builders.get();
        b.setLength(0);
        if (f.error != null) {
            b.append("at=error code=").append(f.error.code).append(" desc=\"").append(f.error.desc).append("\" ");
        } else {
            b.append("at=info ");
        }
        b.append("method=").append(exchange.getRequestMethod());
        b.append(" path=\"");
        quoted(b, exchange.getRequestURI());
        String qs = exchange.getQueryString();
        if (qs != null && !qs.isEmpty()) {
            b.append('?');
            quoted(b, qs);
        }
        b.append("\" host=");
        quoted(b, String.valueOf(exchange.getRequestHeaders().getFirst(Headers.HOST)));
        b.append(" request_id=").append(f.requestId);
        b.append(" fwd=\"").append(clientAddress(exchange)).append('"');
        b.append(" dyno=").append(f.dyno != null ? f.dyno.name() : "");
        b.append(" connect=").append(f.connectMillis()).append("ms");
        b.append(" service=").append(f.serviceMillis(endNanos)).append("ms");
        b.append(" status=").append(exchange.getStatusCode());
        b.append(" bytes=").append(exchange.getResponseBytesSent());
        b.append(" protocol=").append(exchange.getRequestScheme());
        return b.toString();
    }

    /** The last address formatted on this thread: a keep-alive connection's requests share one InetAddress. */
    private static final ThreadLocal<Object[]> lastAddress = ThreadLocal.withInitial(() -> new Object[2]);

    static String clientAddress(HttpServerExchange exchange) {
        InetSocketAddress a = exchange.getSourceAddress();
        if (a == null) {
            return "";
        }
        if (a.getAddress() == null) {
            return a.getHostString();
        }
        Object[] last = lastAddress.get();
        if (last[0] != a.getAddress()) {
            last[0] = a.getAddress();
            last[1] = a.getAddress().getHostAddress();
        }
        return (String) last[1];
    }

    private static boolean needsEscape(char c) {
        return c == '"' || c == '\\' || c < 0x20 || c == 0x7f;
    }

    /** Inside quotes: no quote, backslash or control character can break the line apart. */
    static void quoted(StringBuilder b, String s) {
        int n = s.length();
        int first = 0;
        while (first < n && !needsEscape(s.charAt(first))) {
            first++;
        }
        b.append(s, 0, first); // the usual case, the whole string: one copy rather than a char at a time
        for (int i = first; i < n; i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\x%02x", (int) c));
            } else {
                b.append(c);
            }
        }
    }
}
