package io.slipway.controller.http;

import io.slipway.api.ApiError;
import io.slipway.controller.db.DatabaseUnavailableException;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become responses: {@link ApiException} with its own status,
 * an unreachable database as 503, and anything unexpected logged once and answered with a 500
 * that carries the request id, never a stack trace.
 */
public final class ErrorMapper implements HttpHandler {
    private static final Logger log = LoggerFactory.getLogger(ErrorMapper.class);

    private final HttpHandler next;

    public ErrorMapper(HttpHandler next) {
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        try {
            next.handleRequest(exchange);
        } catch (ApiException e) {
            reply(exchange, e.status(), e.id(), e.getMessage());
        } catch (DatabaseUnavailableException e) {
            log.warn("request_id={} {} {}: database unavailable: {}", RequestId.of(exchange),
                    exchange.getRequestMethod(), exchange.getRequestPath(), e.getMessage());
            reply(exchange, 503, "database_unavailable", e.advice());
        } catch (RequestTooBigException e) {
            ApiException tooLarge = JsonIO.tooLarge();
            reply(exchange, tooLarge.status(), tooLarge.id(), tooLarge.getMessage());
        } catch (Exception e) {
            log.error("request_id={} {} {} failed", RequestId.of(exchange), exchange.getRequestMethod(),
                    exchange.getRequestPath(), e);
            reply(exchange, 500, "internal_error",
                    "the platform failed to handle this request; the controller log has request id " + RequestId.of(exchange));
        }
    }

    public static void reply(HttpServerExchange exchange, int status, String id, String message) {
        if (exchange.isResponseStarted()) {
            exchange.endExchange();
            return;
        }
        JsonIO.send(exchange, status, new ApiError(id, message, RequestId.of(exchange)));
    }
}
