package io.slipway.router;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.WorkerUtils;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.xnio.XnioIoThread;

/**
 * The dyno timeout (H12) for every request in flight, one queue per IO thread. Since every
 * request gets the same timeout, requests time out in the order they arrived: a sweep every
 * {@link #SWEEP_MILLIS} looks at the oldest only, dropping those whose response started or that
 * ended, and timing out those past their deadline. That is an append per request instead of a
 * timer per request (XNIO's timers are a sorted set), and it needs no lock: a queue is only ever
 * touched by its own IO thread.
 */
final class DynoDeadlines {
    static final long SWEEP_MILLIS = 100;

    interface Expiry {
        void expired(HttpServerExchange exchange, Forwarding forwarding);
    }

    private final long timeoutNanos;
    private final Expiry onExpiry;
    private final ConcurrentHashMap<XnioIoThread, ArrayDeque<Forwarding>> queues = new ConcurrentHashMap<>();

    DynoDeadlines(long timeoutNanos, Expiry onExpiry) {
        this.timeoutNanos = timeoutNanos;
        this.onExpiry = onExpiry;
    }

    /** Called on the exchange's IO thread when its request goes to a dyno. */
    void watch(HttpServerExchange exchange, Forwarding f) {
        XnioIoThread thread = exchange.getIoThread();
        ArrayDeque<Forwarding> q = queues.get(thread);
        if (q == null) {
            q = new ArrayDeque<>();
            queues.put(thread, q);
            ArrayDeque<Forwarding> mine = q;
            WorkerUtils.executeAfter(thread, () -> sweep(thread, mine), SWEEP_MILLIS, TimeUnit.MILLISECONDS);
        }
        f.inFlight = exchange;
        q.addLast(f);
    }

    /** Called on the exchange's IO thread when it completes: the queue lets go of the exchange (and of its dyno trip, which holds it too). */
    static void done(Forwarding f) {
        f.inFlight = null;
        f.cutOff = null;
    }

    private void sweep(XnioIoThread thread, ArrayDeque<Forwarding> q) {
        try {
            long now = System.nanoTime();
            for (Forwarding f = q.peekFirst(); f != null; f = q.peekFirst()) {
                HttpServerExchange exchange = f.inFlight;
                if (exchange == null || !exchange.isResponseChannelAvailable() || exchange.isComplete()) { // done, or the dyno's response began
                    q.pollFirst();
                } else if (now - f.startNanos >= timeoutNanos) {
                    q.pollFirst();
                    onExpiry.expired(exchange, f);
                } else {
                    break;
                }
            }
        } catch (RuntimeException ignored) {
            // one bad exchange must not stop the sweeps of every other
        } finally {
            WorkerUtils.executeAfter(thread, () -> sweep(thread, q), SWEEP_MILLIS, TimeUnit.MILLISECONDS);
        }
    }
}
