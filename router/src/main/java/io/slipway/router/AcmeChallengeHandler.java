package io.slipway.router;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;

/**
 * Answers {@code GET /.well-known/acme-challenge/<token>} for any Host (a custom domain, the
 * platform's names, an app that redirects to HTTPS) before the request is routed to an app, from
 * {@link AcmeChallenges}. A token this router does not know goes on to the app, which may answer
 * challenges of its own.
 */
final class AcmeChallengeHandler implements HttpHandler {
    static final String PREFIX = "/.well-known/acme-challenge/";

    private final AcmeChallenges challenges;
    private final HttpHandler next;

    AcmeChallengeHandler(AcmeChallenges challenges, HttpHandler next) {
        this.challenges = challenges;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (!challenges.isEmpty() && exchange.getRequestPath().startsWith(PREFIX)
                && (exchange.getRequestMethod().equals(Methods.GET) || exchange.getRequestMethod().equals(Methods.HEAD))) {
            String answer = challenges.answer(exchange.getRequestPath().substring(PREFIX.length()));
            if (answer != null) {
                exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain");
                exchange.getResponseSender().send(answer);
                return;
            }
        }
        next.handleRequest(exchange);
    }
}
