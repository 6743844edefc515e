package io.slipway.router;

import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.proxy.ProxyCallback;
import io.undertow.server.handlers.proxy.ProxyClient;
import io.undertow.server.handlers.proxy.ProxyConnection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.xnio.IoUtils;

/**
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

    /** One request's walk over the app's dynos until one accepts a connection. */
    private final class Attempt implements ProxyCallback<ProxyConnection> {
        private final AppRoute route;
        private final List<Backend> backends;
        private final Forwarding forwarding;
        private final ProxyCallback<ProxyConnection> delegate;
        private final int start;
        private int tried;
        private boolean busy;
        private boolean outOfRotationToo; // second pass: every dyno was out of rotation, so try them anyway

        Attempt(AppRoute route, Forwarding forwarding, ProxyCallback<ProxyConnection> delegate) {
            this.route = route;
            this.backends = route.backends();
            this.forwarding = forwarding;
            this.delegate = delegate;
            this.start = route.nextStart();
        }

        void next(HttpServerExchange exchange) {
            if (forwarding.error != null) {
                return; // timed out meanwhile; the answer has been given
            }
            int n = backends.size();
            while (tried < 2 * n) {
                int i = tried++;
                if (i == n) {
                    if (forwarding.dyno != null) {
                        break; // at least one in-rotation dyno was tried: do not knock on the others
                    }
                    outOfRotationToo = true;
                }
                int index = (start + i) % n;
                DynoPool pool = route.pool(index, pools);
                if (!outOfRotationToo && !pool.inRotation()) {
                    continue;
                }
                forwarding.dyno = backends.get(index);
                forwarding.connectStartNanos = System.nanoTime();
                pool.connections().connect(forwarding.route, exchange, this, -1, TimeUnit.MILLISECONDS, false);
                return;
            }
            forwarding.error = busy ? RouterError.BACKLOG_TOO_DEEP : RouterError.CONNECTION_REFUSED;
            delegate.couldNotResolveBackend(exchange);
        }

        @Override
        public void completed(HttpServerExchange exchange, ProxyConnection connection) {
            if (forwarding.error != null) {
                IoUtils.safeClose(connection.getConnection());
                return;
            }
            forwarding.connectedNanos = System.nanoTime();
            forwarding.connection = connection.getConnection();
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
