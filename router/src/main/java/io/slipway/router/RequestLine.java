package io.slipway.router;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.net.InetSocketAddress;

/**
 * The router's logfmt line for one request, worded as Heroku's router words it:
 * {@code at=info method=GET path="/" host=shop.localhost request_id=… fwd="127.0.0.1" dyno=web.1
 * connect=1ms service=12ms status=200 bytes=1234 protocol=http}; errors start
 * {@code at=error code=H12 desc="Request timeout"}. A request sent again after a dyno closed its
 * connection without answering ends {@code retries=1 retried_from=web.1}.
 */
final class RequestLine {
    private RequestLine() {}

    /** Each thread's line, reused: formatting a line allocates nothing. */
    private static final ThreadLocal<LineBuffer> lines = ThreadLocal.withInitial(() -> new LineBuffer(512));

    /** The line for a finished exchange, in this thread's buffer: valid until the thread formats its next one. */
    static LineBuffer format(HttpServerExchange exchange, Forwarding f, long endNanos) {
        LineBuffer b = lines.get().clear();
        if (f.error != null) {
            b.append("at=error code=").append(f.error.code).append(" desc=\"").append(f.error.desc).append("\" ");
        } else {
            b.append("at=info ");
        }
        b.append("method=").append(exchange.getRequestMethod().toString());
        b.append(" path=\"").quoted(exchange.getRequestURI());
        String qs = exchange.getQueryString();
        if (qs != null && !qs.isEmpty()) {
            b.append('?').quoted(qs);
        }
        b.append("\" host=").quoted(String.valueOf(exchange.getRequestHeaders().getFirst(Headers.HOST)));
        b.append(" request_id=").append(f.requestId);
        b.append(" fwd=\"").append(clientAddress(exchange)).append('"');
        b.append(" dyno=").append(f.dyno != null ? f.dyno.name() : "");
        b.append(" connect=").append(f.connectMillis()).append("ms");
        b.append(" service=").append(f.serviceMillis(endNanos)).append("ms");
        b.append(" status=").append(exchange.getStatusCode());
        b.append(" bytes=").append(exchange.getResponseBytesSent());
        b.append(" protocol=").append(exchange.getRequestScheme());
        if (f.retriedFrom != null) {
            b.append(" retries=").append(f.retries).append(" retried_from=").append(f.retriedFrom.name());
        }
        return b;
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
}
