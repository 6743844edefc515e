package io.slipway.router;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;

/** The router's own answers: a small HTML page, and the Heroku-style error code in a header. */
final class ErrorPage {
    static final HttpString ERROR_CODE = HttpString.tryFromString("X-Slipway-Error");

    private ErrorPage() {}

    static void send(HttpServerExchange exchange, int status, String code, String title, String detail) {
        exchange.setStatusCode(status);
        if (code != null) {
            exchange.getResponseHeaders().put(ERROR_CODE, code);
        }
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/html; charset=utf-8");
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        exchange.getResponseSender().send("""
                <!doctype html>
                <html><head><meta charset="utf-8"><title>%s</title></head>
                <body style="font-family: sans-serif; max-width: 40em; margin: 4em auto">
                <h1>%s</h1>
                <p>%s</p>
                <p style="color: #888">slipway router</p>
                </body></html>
                """.formatted(escape(title), escape(title), escape(detail)));
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
