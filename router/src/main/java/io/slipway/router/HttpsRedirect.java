package io.slipway.router;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.util.function.IntSupplier;

/**
 * For an app that asked for HTTPS only ({@code slipway certs:redirect on}): a plain-HTTP request
 * answers 308 to the same URL on the router's TLS port (308 keeps the method and body, unlike
 * 301), and an HTTPS answer carries {@code Strict-Transport-Security} so browsers stop trying
 * plain HTTP at all.
 */
final class HttpsRedirect {
    static final HttpString STRICT_TRANSPORT_SECURITY = HttpString.tryFromString("Strict-Transport-Security");
    /** One year, what browsers' preload lists ask for; without includeSubDomains, which an app cannot vouch for. */
    static final String HSTS = "max-age=31536000";

    private final Certificates certificates;
    private final IntSupplier tlsPort;

    HttpsRedirect(Certificates certificates, IntSupplier tlsPort) {
        this.certificates = certificates;
        this.tlsPort = tlsPort;
    }

    /** True when it answered the request itself (the redirect). */
    boolean redirected(HttpServerExchange exchange, String app, HostName host) {
        if (!certificates.forceHttps(app)) {
            return false;
        }
        if (exchange.getConnection().getSslSessionInfo() != null) {
            exchange.getResponseHeaders().put(STRICT_TRANSPORT_SECURITY, HSTS);
            return false;
        }
        int port = tlsPort.getAsInt();
        String path = exchange.getRequestURI();
        if (exchange.isHostIncludedInRequestURI()) { // absolute form, http://host/path: keep the path
            int slash = path.indexOf('/', path.indexOf("//") + 2);
            path = slash < 0 ? "/" : path.substring(slash);
        }
        String query = exchange.getQueryString();
        String location = "https://" + host.name() + (port == 443 ? "" : ":" + port) + path
                + (query == null || query.isEmpty() ? "" : "?" + query);
        exchange.setStatusCode(308);
        exchange.getResponseHeaders().put(Headers.LOCATION, location);
        exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, 0);
        exchange.endExchange();
        return true;
    }
}
