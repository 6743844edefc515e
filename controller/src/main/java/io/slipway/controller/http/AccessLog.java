package io.slipway.controller.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One logfmt line per API request, written when the response completes. */
public final class AccessLog implements HttpHandler {
    private static final Logger log = LoggerFactory.getLogger("slipway.api");

    private final HttpHandler next;

    public AccessLog(HttpHandler next) {
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        long start = System.nanoTime();
        exchange.addExchangeCompleteListener((ex, nextListener) -> {
            log.info("method={} path={} status={} duration_ms={} request_id={}", ex.getRequestMethod(),
                    ex.getRequestPath(), ex.getStatusCode(), (System.nanoTime() - start) / 1_000_000,
                    RequestId.of(ex));
            nextListener.proceed();
        });
        next.handleRequest(exchange);
    }
}
