package io.slipway.router;

import io.undertow.server.DefaultResponseListener;
import io.undertow.server.ExchangeCompletionListener;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

/**
 * Host → app → one of its web dynos. Answers itself when there is nowhere to send the request
 * (no such app, no web dynos, all crashed); otherwise adds the request id and {@code Via}, arms
 * the dyno timeout, and hands the request on: to {@link DynoForwarder} when it has no body, else
 * to Undertow's proxy. Every request that names an app ends in
 * one log line and the app's metrics.
 */
final class AppRouter implements HttpHandler {
    static final HttpString X_REQUEST_ID = HttpString.tryFromString("X-Request-Id");
    static final HttpString VIA = HttpString.tryFromString("Via");
    static final HttpString FORWARDED = HttpString.tryFromString("Forwarded");
    static final String VIA_SLIPWAY = "1.1 slipway";

    private final String domain;
    private final RouteTable routes;
    private final DynoDeadlines deadlines;
    private static final HttpString HTTP2_SETTINGS = new HttpString("HTTP2-Settings");
    private final DynoForwarder forwarder;
    private final HttpHandler proxy;
    private final RequestLog requestLog;
    private final Metrics metrics;
    /** HTTPS: the certificates and which apps send plain HTTP there; null when the router serves plain HTTP only. */
    private final HttpsRedirect https;
    private final DefaultResponseListener errorAnswer = AppRouter::answerProxyFailure;
    private final ExchangeCompletionListener completion = this::completed;
    /** Requests for apps not yet complete (those begun before a drain), so that a stopping router can let them finish. */
    /** Requests being served, for a drain to wait on. An adder: both IO threads count every request, and one shared atomic made its cache line travel between cores twice a request. */
    private final LongAdder inFlight = new LongAdder();
    private volatile boolean draining;

    AppRouter(String domain, RouteTable routes, Duration timeout, DynoForwarder forwarder, HttpHandler proxy,
              RequestLog requestLog, Metrics metrics, HttpsRedirect https) {
        this.domain = domain;
        this.routes = routes;
        this.deadlines = new DynoDeadlines(timeout.toNanos(), AppRouter::timedOut);
        this.forwarder = forwarder;
        this.proxy = proxy;
        this.requestLog = requestLog;
        this.metrics = metrics;
        this.https = https;
    }

    /**
     * An upgrade to HTTP/2 over plain TCP ({@code Upgrade: h2c}) is declined, which a server may
     * always do: the request goes on as HTTP/1.1, on the fast path, and the dyno never sees the
     * offer (the router speaks HTTP/1.1 to dynos). Java's HttpClient makes the offer on every new
     * plain connection; RFC 9113 deprecates it. Upgrades to anything else (WebSocket) pass.
     */
    static void declineH2cUpgrade(HeaderMap request) {
        String upgrade = request.getFirst(Headers.UPGRADE);
        if (upgrade != null && upgrade.trim().equalsIgnoreCase("h2c")) {
            request.remove(Headers.UPGRADE);
            request.remove(HTTP2_SETTINGS);
        }
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        long start = System.nanoTime();
        HostName host = HostName.of(exchange);
        if (!routes.loaded()) {
            metrics.unrouted(RouterError.ROUTES_UNAVAILABLE.status);
            ErrorPage.send(exchange, RouterError.ROUTES_UNAVAILABLE);
            return;
        }
        AppRoute route = routes.lookup(host, domain);
        if (route == null) {
            metrics.unrouted(RouterError.NO_SUCH_APP.status);
            String app = host.appUnder(domain);
            ErrorPage.send(exchange, RouterError.NO_SUCH_APP, "There is no app at " + host.name() + ". "
                    + (app != null ? "Create it with 'slipway apps:create " + app + "' and push to it" : "Add it with 'slipway domains:add " + host.name() + "'")
                    + ", or check the address.");
            return;
        }
        HeaderMap request = exchange.getRequestHeaders();
        Forwarding f = new Forwarding(route, RequestIds.keepOrCreate(request.getFirst(X_REQUEST_ID)), start);
        exchange.putAttachment(Forwarding.KEY, f);
        if (draining) {
            exchange.setPersistent(false); // the client reconnects, to whichever router is there then
        } else {
            f.counted = true;
            inFlight.increment();
        }
        exchange.addExchangeCompleteListener(completion);
        exchange.getResponseHeaders().put(X_REQUEST_ID, f.requestId);
        if (https != null && https.redirected(exchange, route.app(), host)) {
            return;
        }

        RouterError unavailable = route.unavailable();
        if (unavailable != null) {
            f.error = unavailable;
            ErrorPage.send(exchange, unavailable);
            return;
        }

        request.put(X_REQUEST_ID, f.requestId);
        String via = request.getFirst(VIA);
        request.put(VIA, via == null || via.isBlank() ? VIA_SLIPWAY : via + ", " + VIA_SLIPWAY);
        // The router is the platform's edge: what the client claims about earlier hops is not passed on
        // (the proxy sets X-Forwarded-For/Proto/Port/Host from the connection and the Host header).
        request.remove(Headers.X_FORWARDED_HOST);
        request.remove(FORWARDED);

        declineH2cUpgrade(request);
        deadlines.watch(exchange, f);
        if (DynoForwarder.takes(exchange)) {
            forwarder.forward(exchange, f);
        } else {
            exchange.addDefaultResponseListener(errorAnswer);
            proxy.handleRequest(exchange);
        }
    }

    /**
     * Lets the requests in flight finish, for up to {@code grace}. Requests that arrive meanwhile
     * are still served, each with {@code Connection: close}, but not waited for. Returns how many
     * were still running when time ran out.
     */
    int drain(Duration grace) {
        draining = true;
        long deadline = System.nanoTime() + grace.toNanos();
        while (inFlight.sum() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return (int) inFlight.sum();
    }

    /** H12: the dyno had SLIPWAY_ROUTER_TIMEOUT to start its response (DynoDeadlines calls this only for one that has not). */
    private static void timedOut(HttpServerExchange exchange, Forwarding f) {
        f.error = RouterError.TIMEOUT;
        if (f.cutOff != null) {
            f.cutOff.run();
        } else {
            ErrorPage.send(exchange, RouterError.TIMEOUT); // still connecting
        }
    }

    /** The proxy ended the exchange without a dyno's response: say why, in the router's words. */
    private static boolean answerProxyFailure(HttpServerExchange exchange) {
        if (!exchange.isResponseChannelAvailable()) {
            return false; // a dyno's response is (being) sent
        }
        Forwarding f = Forwarding.of(exchange);
        if (f.error == null) {
            f.error = exchange.getStatusCode() == 504 ? RouterError.TIMEOUT : RouterError.CLOSED_WITHOUT_RESPONSE;
        }
        ErrorPage.send(exchange, f.error);
        return true;
    }

    /** One log line and the metrics, once the exchange is over (for an upgrade: once it is upgraded). */
    private void completed(HttpServerExchange exchange, ExchangeCompletionListener.NextListener next) {
        try {
            Forwarding f = Forwarding.of(exchange);
            DynoDeadlines.done(f);
            if (f.counted) {
                inFlight.decrement();
            }
            long end = System.nanoTime();
            metrics.record(f.route.app(), exchange.getStatusCode(), end - f.startNanos);
            requestLog.log(f.route.app(), RequestLine.format(exchange, f, end));
        } finally {
            next.proceed();
        }
    }
}
