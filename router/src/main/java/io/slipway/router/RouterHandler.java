package io.slipway.router;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

/**
 * Decides what a request is for: the router's own endpoints on the bare domain, or an app by its
 * Host. Routing to dynos comes with the dyno manager; until then every app host is "no such app".
 */
final class RouterHandler implements HttpHandler {
    private final RouterConfig config;

    RouterHandler(RouterConfig config) {
        this.config = config;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        HostName host = HostName.parse(exchange.getRequestHeaders().getFirst(Headers.HOST));
        if (host == null) {
            ErrorPage.send(exchange, 400, null, "Bad request", "The request has no valid Host header.");
            return;
        }
        if (host.isPlatform(config.domain())) {
            platform(exchange);
            return;
        }
        String app = host.appUnder(config.domain());
        String shown = app != null ? app : host.name();
        ErrorPage.send(exchange, 404, "no_such_app", "No such app",
                "There is no app at " + host.name() + ". Create one with 'slipway apps:create " + (app != null ? shown : "NAME")
                        + "' and push to it, or check the address.");
    }

    private void platform(HttpServerExchange exchange) {
        if (exchange.getRequestPath().equals("/healthz")) {
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
            exchange.getResponseSender().send("{\"status\":\"ok\"}");
            return;
        }
        ErrorPage.send(exchange, 404, "no_such_app", "No such app",
                "This is the Slipway router. Apps answer at <app>." + config.domain() + ".");
    }
}
