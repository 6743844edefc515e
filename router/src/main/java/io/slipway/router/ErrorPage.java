package io.slipway.router;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;

/** The router's own answers: a small HTML page, and the error code in a header. The one place errors become responses. */
final class ErrorPage {
    static final HttpString ERROR_CODE = HttpString.tryFromString("X-Slipway-Error");

    private ErrorPage() {}

    static void send(HttpServerExchange exchange, RouterError error) {
        send(exchange, error, error.detail);
    }

    static void send(HttpServerExchange exchange, RouterError error, String detail) {
        exchange.setStatusCode(error.status);
        exchange.getResponseHeaders().put(ERROR_CODE, error.code);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/html; charset=utf-8");
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        if (error.status == 400 || error.status == 431) {
            // The framing of what follows on this connection cannot be trusted.
            exchange.setPersistent(false);
        }
        String code = error.isHerokuCode() ? "<p>Error code: <code>" + error.code + "</code> (" + escape(error.desc) + ")</p>\n" : "";
        exchange.getResponseSender().send("""
                <!doctype html>
                <html><head><meta charset="utf-8"><title>%s</title></head>
                <body style="font-family: sans-serif; max-width: 40em; margin: 4em auto">
                <h1>%s</h1>
                <p>%s</p>
                %s<p style="color: #888">slipway router</p>
                </body></html>
                """.formatted(escape(error.title), escape(error.title), escape(detail), code));
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
