package io.slipway.router;

import io.undertow.client.ClientConnection;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.proxy.ProxyCallback;
import io.undertow.server.handlers.proxy.ProxyClient;
import io.undertow.server.handlers.proxy.ProxyConnection;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.xnio.IoUtils;

/**
 * For requests with a body and upgrades (the rest go through {@link DynoForwarder}):
 * Undertow's proxy asks this for a connection to one of the app's dynos: round robin over the
 * routable ones, skipping dynos out of rotation, and trying the next dyno only when a connection
 * could not be made (a request that reached a dyno is never sent twice). When no dyno accepts,
 * the request is answered 502 (H13-like).
 */
final class DynoProxyClient implements ProxyClient {
    private final DynoPools pools;

    DynoProxyClient(DynoPools pools) {
        this.pools = pools;
    }

    @Override
    public ProxyTarget findTarget(HttpServerExchange exchange) {
        Forwarding f = Forwarding.of(exchange);
        return f == null ? null : f.route;
    }

    @Override
    public void getConnection(ProxyTarget target, HttpServerExchange exchange, ProxyCallback<ProxyConnection> callback,
                              long timeout, TimeUnit timeUnit) {
        new Attempt((AppRoute) target, Forwarding.of(exchange), callback).next(exchange);
    }

    /**
     * Closes a dyno connection at once. {@code ClientConnection.close()} is polite: it half-closes
     * and drains until the dyno hangs up, which a stuck dyno never does. {@code performUpgrade()} is
     * the client's one public way to the socket underneath, and closing that fails the exchange now.
     */
    private static void abort(ClientConnection connection) {
        try {
            IoUtils.safeClose(connection.performUpgrade());
        } catch (IOException | RuntimeException e) {
            IoUtils.safeClose(connection);
        }
    }

    /** One request's walk over the app's dynos until one accepts a connection. */
    private final class Attempt implements ProxyCallback<ProxyConnection> {
        private final AppRoute route;
        private final DynoWalk walk;
        private final Forwarding forwarding;
        private final ProxyCallback<ProxyConnection> delegate;
        private boolean busy;

        Attempt(AppRoute route, Forwarding forwarding, ProxyCallback<ProxyConnection> delegate) {
            this.route = route;
            this.walk = new DynoWalk(route, pools);
            this.forwarding = forwarding;
            this.delegate = delegate;
        }

        void next(HttpServerExchange exchange) {
            if (forwarding.error != null) {
                return; // timed out meanwhile; the answer has been given
            }
            int index = walk.next();
            if (index < 0) {
                forwarding.error = busy ? RouterError.BACKLOG_TOO_DEEP : RouterError.CONNECTION_REFUSED;
                delegate.couldNotResolveBackend(exchange);
                return;
            }
            forwarding.dyno = route.backends().get(index);
            forwarding.connectStartNanos = System.nanoTime();
            route.pool(index, pools).connections().connect(forwarding.route, exchange, this, -1, TimeUnit.MILLISECONDS, false);
        }

        @Override
        public void completed(HttpServerExchange exchange, ProxyConnection connection) {
            if (forwarding.error != null) {
                IoUtils.safeClose(connection.getConnection());
                return;
            }
            forwarding.connectedNanos = System.nanoTime();
            ClientConnection dyno = connection.getConnection();
            // The proxy sees the connection fail and ends the exchange; AppRouter's listener writes the 504.
            forwarding.cutOff = () -> abort(dyno);
            delegate.completed(exchange, connection);
        }

        @Override
        public void failed(HttpServerExchange exchange) {
            next(exchange);
        }

        @Override
        public void queuedRequestFailed(HttpServerExchange exchange) {
            busy = true;
            next(exchange);
        }

        @Override
        public void couldNotResolveBackend(HttpServerExchange exchange) {
            next(exchange);
        }
    }
}
