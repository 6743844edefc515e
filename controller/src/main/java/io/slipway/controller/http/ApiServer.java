package io.slipway.controller.http;

import io.slipway.controller.auth.BearerAuth;
import io.slipway.controller.auth.TokenService;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.BlockingHandler;
import java.net.InetSocketAddress;
import java.util.Set;

/**
 * The API's HTTP server. The whole handler chain is here, outermost first:
 * request id → access log → worker thread → error mapping → token auth → routes.
 */
public final class ApiServer implements AutoCloseable {
    private final Undertow server;

    private ApiServer(Undertow server) {
        this.server = server;
    }

    public static ApiServer start(String bind, int port, TokenService tokens, Set<String> openPaths, HttpHandler routes) {
        HttpHandler chain = new RequestId(
                new AccessLog(
                        new BlockingHandler(
                                new ErrorMapper(
                                        new BearerAuth(tokens, openPaths, routes)))));
        Undertow server = Undertow.builder()
                .addHttpListener(port, bind)
                .setIoThreads(2)
                .setWorkerThreads(16)
                .setServerOption(UndertowOptions.MAX_HEADER_SIZE, 64 * 1024)
                .setHandler(chain)
                .build();
        server.start();
        return new ApiServer(server);
    }

    /** The port actually bound (differs from the configured one when that was 0). */
    public int port() {
        return ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    }

    @Override
    public void close() {
        server.stop();
    }
}
