package io.slipway.router;

import io.undertow.client.UndertowClient;
import io.undertow.server.handlers.proxy.ConnectionPoolManager;
import io.undertow.server.handlers.proxy.ProxyConnectionPool;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.OptionMap;
import org.xnio.XnioIoThread;

/**
 * Keep-alive connections to one dyno, one set per IO thread, and whether the dyno is in rotation:
 * a dyno that refused a connection sits out for {@link Tuning#cooldown()}. Requests without a body
 * go through {@link DynoForwarder} and its {@link IdleConnections}; requests with a body and
 * upgrades go through Undertow's proxy and its pool.
 */
final class DynoPool implements ConnectionPoolManager {
    private static final Logger log = LoggerFactory.getLogger(DynoPool.class);

    private final Backend backend;
    private final Tuning tuning;
    private final ProxyConnectionPool pool;
    private final InetSocketAddress address;
    private final ConcurrentHashMap<XnioIoThread, IdleConnections> idle = new ConcurrentHashMap<>();
    private final Set<InFlight> inFlight = ConcurrentHashMap.newKeySet();
    private final boolean remote;
    private volatile long outUntil; // System.nanoTime() deadline; 0 = in rotation
    private volatile boolean closed;

    DynoPool(Backend backend, Tuning tuning, OptionMap clientOptions) {
        this.backend = backend;
        this.tuning = tuning;
        this.remote = !backend.host().equals(Backend.LOOPBACK);
        // A dyno's address is an IPv4 literal (Backend checks it): no name lookup, ever.
        this.pool = new ProxyConnectionPool(this, URI.create("http://" + backend.host() + ":" + backend.port()),
                UndertowClient.getInstance(), clientOptions);
        this.address = new InetSocketAddress(backend.host(), backend.port());
    }

    Backend backend() {
        return backend;
    }

    /** Where the dyno listens: its port on loopback, or on its Swarm node's address. */
    InetSocketAddress address() {
        return address;
    }

    /** This IO thread's idle connections to the dyno. */
    IdleConnections idle(XnioIoThread thread) {
        IdleConnections mine = idle.get(thread);
        return mine != null ? mine : idle.computeIfAbsent(thread,
                t -> new IdleConnections(t, tuning.idleConnectionsPerThread(), tuning.idleTimeout().toNanos()));
    }

    ProxyConnectionPool connections() {
        return pool;
    }

    /** In rotation: never failed, or its time out is over. */
    boolean inRotation() {
        long until = outUntil;
        return until == 0 || System.nanoTime() - until >= 0;
    }

    void close() {
        closed = true;
        pool.close();
        idle.values().forEach(IdleConnections::close);
    }

    /** Closed: the dyno left the routes, so a connection to it that comes free is closed, not parked. */
    boolean closed() {
        return closed;
    }

    /** Whether the dyno is on another machine (a Swarm node), where a connection may hang rather than be refused. */
    boolean remote() {
        return remote;
    }

    /** A request on its way on one of this dyno's connections, which {@link #unreachable} may move on. */
    interface InFlight {
        /** Its dyno stopped answering: if the dyno has sent nothing yet, give up on it (from any thread). */
        void unreachable();
    }

    /** Only a remote dyno's requests are kept track of: nothing but {@link #unreachable} reads them, and it is never a loopback dyno's. */
    void sending(InFlight trip) {
        if (remote) {
            inFlight.add(trip);
        }
    }

    void done(InFlight trip) {
        if (remote) {
            inFlight.remove(trip);
        }
    }

    /**
     * This dyno stopped answering ({@code why}): out of rotation for the cooldown, idle connections
     * closed, and each request waiting on it moved on (an idempotent one that heard nothing is sent
     * to another dyno, as when a dyno closes a connection without answering).
     */
    void unreachable(String why) {
        boolean wasIn = inRotation();
        outUntil = System.nanoTime() + tuning.cooldown().toNanos();
        if (wasIn) {
            log.warn("{}: {}; out of rotation for {} ms", backend, why, tuning.cooldown().toMillis());
        }
        idle.values().forEach(IdleConnections::drop);
        inFlight.forEach(InFlight::unreachable);
    }

    /**
     * A connection could not be made: out of rotation for the cooldown (logged once as it goes out),
     * and its idle connections closed. A dyno that refuses connections has stopped listening, or its
     * node is going away; an idle connection to it that seems open may be one whose close never
     * arrived (a node that died), and a request sent on it would wait for the dyno timeout.
     */
    void connectFailed() {
        handleError();
        idle.values().forEach(IdleConnections::drop);
    }

    /** A connection was made: back in rotation at once. */
    void connected() {
        if (outUntil != 0) {
            clearError();
        }
    }

    // ---- ConnectionPoolManager: how Undertow's pool tells us a connection could not be made ----

    @Override
    public boolean handleError() {
        boolean wasIn = inRotation();
        outUntil = System.nanoTime() + tuning.cooldown().toNanos();
        if (wasIn) {
            log.warn("{}: connection failed; out of rotation for {} ms", backend, tuning.cooldown().toMillis());
        }
        return false;
    }

    @Override
    public boolean clearError() {
        outUntil = 0;
        return true;
    }

    @Override
    public boolean isAvailable() {
        return inRotation();
    }

    @Override
    public int getProblemServerRetry() {
        return -1; // no background probing: the next request after the cooldown tries again
    }

    @Override
    public int getMaxConnections() {
        return tuning.maxConnectionsPerThread();
    }

    @Override
    public int getMaxCachedConnections() {
        return tuning.idleConnectionsPerThread();
    }

    @Override
    public int getSMaxConnections() {
        return 0; // every idle connection may time out
    }

    @Override
    public long getTtl() {
        return tuning.idleTimeout().toMillis();
    }

    @Override
    public int getMaxQueueSize() {
        return tuning.queuePerThread();
    }

    /** The knobs of the dyno connection pools, gathered in one place. */
    record Tuning(int maxConnectionsPerThread, int idleConnectionsPerThread, int queuePerThread,
                  Duration idleTimeout, Duration cooldown) {
        static final Tuning DEFAULT = new Tuning(512, 128, 1024, Duration.ofSeconds(60), Duration.ofSeconds(5));

        Tuning {
            if (maxConnectionsPerThread < 1 || idleConnectionsPerThread < 0 || queuePerThread < 0) {
                throw new IllegalArgumentException("pool sizes must be positive: " + maxConnectionsPerThread + "/" + idleConnectionsPerThread + "/" + queuePerThread);
            }
        }
    }
}
