package io.slipway.router;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

/** The router's own endpoints, on the bare domain and loopback names only: {@code /healthz} and {@code /metrics}. */
final class PlatformHandler implements HttpHandler {
    private final String domain;
    private final Metrics metrics;

    PlatformHandler(String domain, Metrics metrics) {
        this.domain = domain;
        this.metrics = metrics;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        switch (exchange.getRequestPath()) {
            case "/healthz" -> {
                // Healthy as soon as it listens: it listens once its routes are loaded, or once it gave up waiting for them (see /metrics).
                exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
                exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
                exchange.getResponseSender().send("{\"status\":\"ok\"}");
            }
            case "/metrics" -> {
                exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
                exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
                exchange.getResponseSender().send(metrics.render());
            }
            default -> ErrorPage.send(exchange, RouterError.NO_SUCH_APP,
                    "This is the Slipway router. Apps answer at <app>." + domain + ".");
        }
    }
}
