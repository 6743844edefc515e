package io.slipway.controller.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.HttpString;
import java.util.UUID;
import java.util.regex.Pattern;

/** Gives every request an id (the caller's {@code X-Request-Id} when sane), echoed back and used in logs and 500s. */
public final class RequestId implements HttpHandler {
    public static final HttpString HEADER = HttpString.tryFromString("X-Request-Id");
    private static final AttachmentKey<String> KEY = AttachmentKey.create(String.class);
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,200}");

    private final HttpHandler next;

    public RequestId(HttpHandler next) {
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        String given = exchange.getRequestHeaders().getFirst(HEADER);
        String id = given != null && SANE.matcher(given).matches() ? given : UUID.randomUUID().toString();
        exchange.putAttachment(KEY, id);
        exchange.getResponseHeaders().put(HEADER, id);
        next.handleRequest(exchange);
    }

    public static String of(HttpServerExchange exchange) {
        String id = exchange.getAttachment(KEY);
        return id == null ? "-" : id;
    }
}
