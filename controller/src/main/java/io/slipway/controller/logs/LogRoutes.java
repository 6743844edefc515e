package io.slipway.controller.logs;

import io.slipway.controller.app.App;
import io.slipway.controller.app.AppService;
import io.slipway.controller.http.ApiException;
import io.slipway.controller.http.Routes;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.util.Headers;

/**
 * {@code GET /apps/{app}/log-stream?lines=N&tail=true&dyno=web.1&source=app}: the app's log as
 * {@code text/plain}, one Heroku-style line each ({@code 2026-11-24T13:00:00.123456+00:00 app[web.1]: text}),
 * the last {@code lines} (default 100) that match, then, with {@code tail=true}, new lines as they
 * arrive, chunked and flushed, until the client disconnects. Streams take no worker thread.
 */
public final class LogRoutes {
    private final AppService apps;
    private final LogService logs;

    public LogRoutes(AppService apps, LogService logs) {
        this.apps = apps;
        this.logs = logs;
    }

    public void register(RoutingHandler routes) {
        routes.get("/apps/{app}/log-stream", this::stream);
    }

    private void stream(HttpServerExchange ex) {
        App app = apps.get(Routes.param(ex, "app"));
        serve(ex, logs, app.name().value());
    }

    /** Answers with {@code app}'s log as the query string asks; the app is known to exist. */
    static void serve(HttpServerExchange ex, LogService logs, String app) {
        serve(ex, logs, app, ex.getQueryParameters(), false);
    }

    /**
     * As {@link #serve}, with the query given ({@code lines}, {@code tail}, {@code dyno}, {@code source})
     * and, when {@code eventStream}, as Server-Sent Events ({@code text/event-stream}, which the Heroku CLI reads).
     */
    public static void serve(HttpServerExchange ex, LogService logs, String app,
                             java.util.Map<String, java.util.Deque<String>> params, boolean eventStream) {
        LogQuery query = LogQuery.from(params);
        AppLog log = logs.open(app);
        long from = log.startFor(query.lines(), query);
        long until = log.next();
        Runnable onEnd = () -> { };
        if (query.tail()) {
            if (!logs.startTail()) {
                throw new ApiException(503, "too_many_tails", logs.maxTails() + " log tails are streaming already, the most "
                        + "this platform allows; try again when one ends");
            }
            onEnd = logs::endTail;
            // The stream watches the connection's read side for a hang-up, so it cannot serve another request after.
            ex.setPersistent(false);
        }
        ex.setStatusCode(200);
        ex.getResponseHeaders().put(Headers.CONTENT_TYPE, eventStream ? "text/event-stream; charset=utf-8" : "text/plain; charset=utf-8");
        ex.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-cache");
        ex.getResponseHeaders().put(Headers.X_CONTENT_TYPE_OPTIONS, "nosniff");
        TailStream.start(ex, log, query, from, until, onEnd, eventStream);
    }
}
