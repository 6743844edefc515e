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

    /**
     * A path parameter of the matched route template, e.g. {@code {app}}. One that cannot be stored
     * (a decoded {@code %00}) is a 400 here, before any query could fail on it.
     */
    public static String param(HttpServerExchange exchange, String name) {
        Deque<String> values = exchange.getPathParameters().get(name);
        if (values == null || values.isEmpty()) {
            values = exchange.getQueryParameters().get(name);
        }
        if (values == null || values.isEmpty()) {
            throw new IllegalStateException("route has no parameter {" + name + "}");
        }
        String value = values.getFirst();
        String problem = StorableText.problem(value);
        if (problem != null) {
            throw ApiException.badRequest("the {" + name + "} part of " + exchange.getRequestMethod() + " "
                    + StorableText.scrub(exchange.getRequestPath()) + " " + problem
                    + "; no name, id or host name on this platform contains one");
        }
        return value;
    }
}
