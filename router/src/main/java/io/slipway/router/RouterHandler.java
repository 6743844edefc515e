package io.slipway.router;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

/** Decides what a request is for: the router's own endpoints on the bare domain, or an app by its Host. */
final class RouterHandler implements HttpHandler {
    private final String domain;
    private final HttpHandler platform;
    private final HttpHandler apps;

    RouterHandler(String domain, HttpHandler platform, HttpHandler apps) {
        this.domain = domain;
        this.platform = platform;
        this.apps = apps;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (HostName.of(exchange).isPlatform(domain)) {
            platform.handleRequest(exchange);
        } else {
            apps.handleRequest(exchange);
        }
    }
}
