package io.slipway.controller.auth;

import io.slipway.controller.http.ApiException;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.Headers;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;

/**
 * Requires a known API token on every request except the open paths (the health check).
 * Accepts {@code Authorization: Bearer TOKEN}, and HTTP Basic with the token as password, which is
 * what a git client sends. The refusal never says which tokens exist or why this one failed.
 */
public final class BearerAuth implements HttpHandler {
    private static final AttachmentKey<Principal> PRINCIPAL = AttachmentKey.create(Principal.class);

    private final TokenService tokens;
    private final Set<String> openPaths;
    private final HttpHandler next;

    public BearerAuth(TokenService tokens, Set<String> openPaths, HttpHandler next) {
        this.tokens = tokens;
        this.openPaths = openPaths;
        this.next = next;
    }

    /** An open path ending in {@code /} opens everything under it (its routes check their own secret). */
    private boolean openUnder(String path) {
        for (String open : openPaths) {
            if (open.endsWith("/") && path.startsWith(open) && path.length() > open.length()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (openPaths.contains(exchange.getRequestPath()) || openUnder(exchange.getRequestPath())) {
            next.handleRequest(exchange);
            return;
        }
        String token = presentedToken(exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION));
        Principal principal = token == null ? null : tokens.authenticate(token).orElse(null);
        if (principal == null) {
            // Basic too: that is the challenge a git client answers, with the token as password.
            exchange.getResponseHeaders().add(Headers.WWW_AUTHENTICATE, "Bearer realm=\"slipway\"");
            exchange.getResponseHeaders().add(Headers.WWW_AUTHENTICATE, "Basic realm=\"slipway\"");
            throw new ApiException(401, "unauthorized",
                    "invalid or missing API token: send 'Authorization: Bearer TOKEN' (the CLI does this after 'slipway login')");
        }
        exchange.putAttachment(PRINCIPAL, principal);
        next.handleRequest(exchange);
    }

    public static Principal principal(HttpServerExchange exchange) {
        Principal p = exchange.getAttachment(PRINCIPAL);
        if (p == null) {
            throw new IllegalStateException("no principal: this handler is outside BearerAuth");
        }
        return p;
    }

    static String presentedToken(String header) {
        if (header == null) {
            return null;
        }
        int space = header.indexOf(' ');
        if (space < 0) {
            return null;
        }
        String scheme = header.substring(0, space);
        String value = header.substring(space + 1).trim();
        if (scheme.equalsIgnoreCase("Bearer")) {
            return value.isEmpty() ? null : value;
        }
        if (scheme.equalsIgnoreCase("Basic")) {
            try {
                String decoded = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                return colon < 0 || colon == decoded.length() - 1 ? null : decoded.substring(colon + 1);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return null;
    }
}
