package io.slipway.router;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running router: one Undertow listener in front of {@link RouterHandler}. */
public final class Router implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Router.class);

    private final Undertow server;

    private Router(Undertow server) {
        this.server = server;
    }

    public static Router start(RouterConfig config) {
        Undertow server = Undertow.builder()
                .addHttpListener(config.port(), config.bind())
                .setServerOption(UndertowOptions.MAX_HEADER_SIZE, 32 * 1024)
                .setHandler(new RouterHandler(config))
                .build();
        server.start();
        Router router = new Router(server);
        log.info("router listening on http://{}:{} for *.{}", config.bind(), router.port(), config.domain());
        return router;
    }

    public int port() {
        return ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    }

    @Override
    public void close() {
        server.stop();
    }
}
