package io.slipway.controller.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.slipway.api.Json;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import io.undertow.util.Headers;
import java.io.IOException;
import java.nio.ByteBuffer;

/** Reading request bodies and writing responses as JSON; handlers run on worker threads (blocking). */
public final class JsonIO {
    /** Largest request body accepted anywhere in the API. */
    public static final long MAX_BODY_BYTES = 1 << 20;

    private static final ObjectMapper MAPPER = Json.mapper();

    private JsonIO() {}

    /** The body as a JSON tree; an empty body reads as an empty object. */
    public static JsonNode readTree(HttpServerExchange exchange) {
        byte[] body = readBody(exchange);
        if (body.length == 0) {
            return MAPPER.createObjectNode();
        }
        try {
            return MAPPER.readTree(body);
        } catch (IOException e) {
            throw ApiException.badRequest("the request body is not valid JSON: " + firstLine(e.getMessage()));
        }
    }

    public static <T> T read(HttpServerExchange exchange, Class<T> type) {
        JsonNode tree = readTree(exchange);
        if (!tree.isObject()) {
            throw ApiException.badRequest("the request body must be a JSON object");
        }
        try {
            return MAPPER.treeToValue(tree, type);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("the request body does not fit: " + firstLine(e.getOriginalMessage()));
        }
    }

    public static void send(HttpServerExchange exchange, int status, Object body) {
        byte[] bytes;
        try {
            bytes = MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + body.getClass().getSimpleName(), e);
        }
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json; charset=utf-8");
        exchange.getResponseSender().send(ByteBuffer.wrap(bytes));
    }

    private static byte[] readBody(HttpServerExchange exchange) {
        exchange.setMaxEntitySize(MAX_BODY_BYTES);
        try {
            return exchange.getInputStream().readAllBytes();
        } catch (RequestTooBigException e) {
            throw tooLarge();
        } catch (IOException e) {
            if (e.getCause() instanceof RequestTooBigException) {
                throw tooLarge();
            }
            throw ApiException.badRequest("could not read the request body: " + e.getMessage());
        }
    }

    static ApiException tooLarge() {
        return new ApiException(413, "payload_too_large",
                "the request body is larger than " + (MAX_BODY_BYTES >> 20) + " MiB");
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
