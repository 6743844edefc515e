package io.slipway.controller.http;

import io.undertow.Handlers;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import java.util.Deque;

/** The API's routing table, with JSON answers for unknown paths (404) and wrong methods (405). */
public final class Routes {
    private Routes() {}

    public static RoutingHandler table() {
        RoutingHandler routing = Handlers.routing();
        routing.setFallbackHandler(exchange -> {
            throw ApiException.notFound("no such API route: " + exchange.getRequestMethod() + " "
                    + exchange.getRequestPath());
        });
        routing.setInvalidMethodHandler(exchange -> {
            throw new ApiException(405, "method_not_allowed", exchange.getRequestMethod() + " is not allowed on "
                    + exchange.getRequestPath());
        });
        return routing;
    }

    /** A path parameter of the matched route template, e.g. {@code {app}}. */
    public static String param(HttpServerExchange exchange, String name) {
        Deque<String> values = exchange.getPathParameters().get(name);
        if (values == null || values.isEmpty()) {
            values = exchange.getQueryParameters().get(name);
        }
        if (values == null || values.isEmpty()) {
            throw new IllegalStateException("route has no parameter {" + name + "}");
        }
        return values.getFirst();
    }
}
