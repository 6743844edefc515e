package io.slipway.controller.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.slipway.api.Json;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import io.undertow.util.AttachmentKey;
import io.undertow.util.Headers;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.xnio.Options;
import org.xnio.channels.ReadTimeoutException;

/** Reading request bodies and writing responses as JSON; handlers run on worker threads (blocking). */
public final class JsonIO {
    /** Largest request body accepted anywhere in the API. */
    public static final long MAX_BODY_BYTES = 1 << 20;

    private static final ObjectMapper MAPPER = Json.mapper();
    private static final AttachmentKey<Duration> BODY_TIMEOUT = AttachmentKey.create(Duration.class);

    private JsonIO() {}

    /** The body as a JSON tree; an empty body reads as an empty object. */
    public static JsonNode readTree(HttpServerExchange exchange) {
        byte[] body = readBody(exchange);
        if (body.length == 0) {
            return MAPPER.createObjectNode();
        }
        JsonNode tree;
        try {
            tree = MAPPER.readTree(body);
        } catch (IOException e) {
            throw ApiException.badRequest("the request body is not valid JSON: " + firstLine(e.getMessage()));
        }
        requireStorable(tree, "");
        return tree;
    }

    /** Every name and string in the body must be storable: one check here instead of one per field. */
    private static void requireStorable(JsonNode node, String path) {
        if (node.isTextual()) {
            StorableText.require("the request body's " + (path.isEmpty() ? "value" : "field '" + path + "'"), node.textValue());
        } else if (node.isObject()) {
            for (var it = node.fields(); it.hasNext(); ) {
                var field = it.next();
                String name = StorableText.require("a field name in the request body", field.getKey());
                requireStorable(field.getValue(), path.isEmpty() ? name : path + "." + name);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                requireStorable(node.get(i), path + "[" + i + "]");
            }
        }
    }

    public static <T> T read(HttpServerExchange exchange, Class<T> type) {
        return read(readTree(exchange), type);
    }

    /** A body already read with {@link #readTree}, checked further by the caller, as {@code type}. */
    public static <T> T read(JsonNode tree, Class<T> type) {
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

    /** How long each read of this exchange's JSON body may wait for the client (the API's parse timeout). */
    static void bodyTimeout(HttpServerExchange exchange, Duration timeout) {
        exchange.putAttachment(BODY_TIMEOUT, timeout);
    }

    private static byte[] readBody(HttpServerExchange exchange) {
        exchange.setMaxEntitySize(MAX_BODY_BYTES);
        Duration timeout = exchange.getAttachment(BODY_TIMEOUT);
        try {
            if (timeout != null) {
                // Undertow's blocking stream waits this long for each read (10 minutes when unset). Only
                // for this body: the next request on the connection may be a push, uploading for minutes.
                exchange.getConnection().setOption(Options.READ_TIMEOUT, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
            }
            try (var in = exchange.getInputStream()) {
                return in.readAllBytes();
            } finally {
                if (timeout != null) {
                    exchange.getConnection().setOption(Options.READ_TIMEOUT, 0);
                }
            }
        } catch (ReadTimeoutException e) {
            throw new ApiException(408, "request_timeout", "the request body did not arrive within "
                    + timeout.toSeconds() + " s; send it whole");
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
