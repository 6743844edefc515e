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

    private record Entry(HttpServerExchange exchange, Forwarding forwarding) {}

    private final long timeoutNanos;
    private final Expiry onExpiry;
    private final ConcurrentHashMap<XnioIoThread, ArrayDeque<Entry>> queues = new ConcurrentHashMap<>();

    DynoDeadlines(long timeoutNanos, Expiry onExpiry) {
        this.timeoutNanos = timeoutNanos;
        this.onExpiry = onExpiry;
    }

    /** Called on the exchange's IO thread when its request goes to a dyno. */
    void watch(HttpServerExchange exchange, Forwarding f) {
        XnioIoThread thread = exchange.getIoThread();
        ArrayDeque<Entry> q = queues.get(thread);
        if (q == null) {
            q = new ArrayDeque<>();
            queues.put(thread, q);
            ArrayDeque<Entry> mine = q;
            WorkerUtils.executeAfter(thread, () -> sweep(thread, mine), SWEEP_MILLIS, TimeUnit.MILLISECONDS);
        }
        q.addLast(new Entry(exchange, f));
    }

    private void sweep(XnioIoThread thread, ArrayDeque<Entry> q) {
        try {
            long now = System.nanoTime();
            for (Entry e = q.peekFirst(); e != null; e = q.peekFirst()) {
                Forwarding f = e.forwarding();
                if (f.responseStarted || e.exchange().isComplete()) {
                    q.pollFirst();
                } else if (now - f.startNanos >= timeoutNanos) {
                    q.pollFirst();
                    onExpiry.expired(e.exchange(), f);
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
