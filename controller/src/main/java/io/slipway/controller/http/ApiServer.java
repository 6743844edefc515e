package io.slipway.controller.http;

import io.slipway.controller.auth.BearerAuth;
import io.slipway.controller.auth.TokenService;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.BlockingHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Set;

/**
 * The API's HTTP server. The whole handler chain is here, outermost first:
 * body timeout → request id → access log → worker thread → error mapping → token auth → routes.
 */
public final class ApiServer implements AutoCloseable {
    private final Undertow server;

    /**
     * How long a client may take. {@code parse}: to send a request's head, and then each part of a
     * JSON body ({@code SLIPWAY_API_PARSE_TIMEOUT}); {@code idle}: a connection with no request
     * under way is closed after this ({@code SLIPWAY_API_IDLE_TIMEOUT}). Neither limits a response
     * that is under way, so a log tail, an attached {@code run} and a push that is building stay open.
     */
    public record Timeouts(Duration parse, Duration idle) {
        public Timeouts {
            if (parse.isZero() || parse.isNegative()) {
                throw new IllegalArgumentException("SLIPWAY_API_PARSE_TIMEOUT must be positive, got " + parse);
            }
            if (idle.isZero() || idle.isNegative()) {
                throw new IllegalArgumentException("SLIPWAY_API_IDLE_TIMEOUT must be positive, got " + idle);
            }
        }
    }

    private ApiServer(Undertow server) {
        this.server = server;
    }

    public static ApiServer start(String bind, int port, Timeouts timeouts, TokenService tokens, Set<String> openPaths,
                                  HttpHandler routes) {
        return start(bind, port, null, timeouts, tokens, openPaths, routes);
    }

    /** The same API over HTTPS as well, on its own port (the Heroku CLI's git remote is https://HOST/<app>.git). */
    public record Https(int port, javax.net.ssl.SSLContext context) {}

    /** @param https null: plain HTTP only */
    public static ApiServer start(String bind, int port, Https https, Timeouts timeouts, TokenService tokens,
                                  Set<String> openPaths, HttpHandler routes) {
        HttpHandler chain = new RequestId(
                new AccessLog(
                        new BlockingHandler(
                                new ErrorMapper(
                                        new BearerAuth(tokens, openPaths, routes)))));
        Undertow.Builder builder = Undertow.builder().addHttpListener(port, bind);
        if (https != null) {
            builder.addHttpsListener(https.port(), bind, https.context());
        }
        Undertow server = builder
                .setIoThreads(2)
                .setWorkerThreads(16)
                .setServerOption(UndertowOptions.MAX_HEADER_SIZE, 64 * 1024)
                // Half-sent request heads and silent connections would otherwise stay open for ever.
                .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, millis(timeouts.parse()))
                .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, millis(timeouts.idle()))
                .setHandler(exchange -> {
                    JsonIO.bodyTimeout(exchange, timeouts.parse());
                    chain.handleRequest(exchange);
                })
                .build();
        server.start();
        return new ApiServer(server);
    }

    private static int millis(Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, d.toMillis());
    }

    /** The port actually bound (differs from the configured one when that was 0). */
    public int port() {
        return ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    }

    /** The HTTPS port actually bound; -1 without one. */
    public int httpsPort() {
        var listeners = server.getListenerInfo();
        return listeners.size() < 2 ? -1 : ((InetSocketAddress) listeners.get(1).getAddress()).getPort();
    }

    @Override
    public void close() {
        server.stop();
    }
}
