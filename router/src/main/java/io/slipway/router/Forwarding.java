package io.slipway.router;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;

/**
 * The state of one request on its way to a dyno, attached to the exchange: which app and dyno,
 * the timings for the log line, and the error the router answers with if it comes to that.
 * Touched only on the exchange's IO thread.
 */
final class Forwarding {
    static final AttachmentKey<Forwarding> KEY = AttachmentKey.create(Forwarding.class);

    final AppRoute route;
    final String requestId;
    final long startNanos;
    Backend dyno;
    long connectStartNanos;
    long connectedNanos;
    RouterError error;
    /** Times the request was sent again after a dyno closed its connection without answering; the first such dyno. */
    int retries;
    Backend retriedFrom;
    /**
     * What the dyno timeout does to a request whose dyno has not begun to answer: set by the path
     * the request takes ({@link DynoForwarder} or Undertow's proxy); null while no dyno is reached.
     */
    Runnable cutOff;
    /** Counted among the requests a stopping router waits for. */
    boolean counted;
    /**
     * The exchange while it is in flight, null once complete. The dyno-timeout queue holds this
     * small object, not the exchange, so that a finished exchange (its headers and buffers) is
     * garbage at once instead of surviving young collections until the next sweep.
     */
    HttpServerExchange inFlight;

    Forwarding(AppRoute route, String requestId, long startNanos) {
        this.route = route;
        this.requestId = requestId;
        this.startNanos = startNanos;
    }

    static Forwarding of(HttpServerExchange exchange) {
        return exchange.getAttachment(KEY);
    }

    long connectMillis() {
        return connectedNanos == 0 ? 0 : (connectedNanos - connectStartNanos) / 1_000_000;
    }

    /** From the dyno connection to the end of the response; 0 when no dyno was reached. */
    long serviceMillis(long endNanos) {
        return connectedNanos == 0 ? 0 : (endNanos - connectedNanos) / 1_000_000;
    }
}
