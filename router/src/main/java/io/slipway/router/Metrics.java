package io.slipway.router;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;

/**
 * The router's figures in Prometheus' text format: requests by app and status code, a latency
 * histogram by app, and dynos by state by app (as last read from the database). Only apps that
 * exist get a label, so random Host headers cannot grow it without bound.
 */
final class Metrics {
    /** Upper bounds in seconds, Prometheus' usual spread up to the 30 s dyno timeout. */
    static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};

    private final ConcurrentHashMap<String, AppStats> apps = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Integer, LongAdder> unrouted = new ConcurrentHashMap<>();
    private final RouteTable routes;
    private final BooleanSupplier databaseConnected;

    Metrics(RouteTable routes, BooleanSupplier databaseConnected) {
        this.routes = routes;
        this.databaseConnected = databaseConnected;
    }

    void record(String app, int status, long nanos) {
        AppStats s = apps.get(app);
        if (s == null) {
            s = apps.computeIfAbsent(app, a -> new AppStats());
        }
        s.record(status, nanos);
    }

    /** A request that named no app (unknown host, routes not loaded yet). */
    void unrouted(int status) {
        counter(unrouted, status).increment();
    }

    String render() {
        StringBuilder b = new StringBuilder(4096);
        b.append("# HELP slipway_router_requests_total Requests routed to an app, by status code.\n");
        b.append("# TYPE slipway_router_requests_total counter\n");
        Map<String, AppStats> sorted = new TreeMap<>(apps);
        sorted.forEach((app, s) -> new TreeMap<>(s.byStatus).forEach((code, n) ->
                b.append("slipway_router_requests_total{app=\"").append(app).append("\",code=\"").append(code).append("\"} ")
                        .append(n.sum()).append('\n')));

        b.append("# HELP slipway_router_request_duration_seconds Time from request to the end of the response, by app.\n");
        b.append("# TYPE slipway_router_request_duration_seconds histogram\n");
        sorted.forEach((app, s) -> {
            long cumulative = 0;
            for (int i = 0; i <= BUCKETS.length; i++) {
                cumulative += s.buckets[i].sum();
                String le = i < BUCKETS.length ? Double.toString(BUCKETS[i]) : "+Inf";
                b.append("slipway_router_request_duration_seconds_bucket{app=\"").append(app).append("\",le=\"").append(le).append("\"} ")
                        .append(cumulative).append('\n');
            }
            b.append("slipway_router_request_duration_seconds_sum{app=\"").append(app).append("\"} ")
                    .append(s.nanos.sum() / 1e9).append('\n');
            b.append("slipway_router_request_duration_seconds_count{app=\"").append(app).append("\"} ")
                    .append(cumulative).append('\n');
        });

        b.append("# HELP slipway_router_unrouted_requests_total Requests for no known app, by status code.\n");
        b.append("# TYPE slipway_router_unrouted_requests_total counter\n");
        new TreeMap<>(unrouted).forEach((code, n) ->
                b.append("slipway_router_unrouted_requests_total{code=\"").append(code).append("\"} ").append(n.sum()).append('\n'));

        b.append("# HELP slipway_dynos Dynos of each app by state, as the router last read them.\n");
        b.append("# TYPE slipway_dynos gauge\n");
        Map<String, AppRoute> byName = new TreeMap<>();
        routes.apps().forEach(r -> byName.put(r.app(), r));
        byName.forEach((app, r) -> new TreeMap<>(r.dynoStates()).forEach((state, n) ->
                b.append("slipway_dynos{app=\"").append(app).append("\",state=\"").append(state).append("\"} ").append(n).append('\n')));

        b.append("# HELP slipway_router_routable_dynos Web dynos the router sends requests to, by app.\n");
        b.append("# TYPE slipway_router_routable_dynos gauge\n");
        byName.forEach((app, r) ->
                b.append("slipway_router_routable_dynos{app=\"").append(app).append("\"} ").append(r.backends().size()).append('\n'));

        b.append("# HELP slipway_router_routes_loaded Whether the router has read its routes at least once.\n");
        b.append("# TYPE slipway_router_routes_loaded gauge\n");
        b.append("slipway_router_routes_loaded ").append(routes.loaded() ? 1 : 0).append('\n');
        b.append("# HELP slipway_router_database_connected Whether the router is listening for route changes right now.\n");
        b.append("# TYPE slipway_router_database_connected gauge\n");
        b.append("slipway_router_database_connected ").append(databaseConnected.getAsBoolean() ? 1 : 0).append('\n');
        return b.toString();
    }

    private static LongAdder counter(ConcurrentHashMap<Integer, LongAdder> map, int status) {
        LongAdder a = map.get(status);
        return a != null ? a : map.computeIfAbsent(status, s -> new LongAdder());
    }

    private static final class AppStats {
        final ConcurrentHashMap<Integer, LongAdder> byStatus = new ConcurrentHashMap<>();
        final LongAdder[] buckets = new LongAdder[BUCKETS.length + 1];
        final LongAdder nanos = new LongAdder();

        AppStats() {
            for (int i = 0; i < buckets.length; i++) {
                buckets[i] = new LongAdder();
            }
        }

        void record(int status, long elapsedNanos) {
            counter(byStatus, status).increment();
            double seconds = elapsedNanos / 1e9;
            int i = 0;
            while (i < BUCKETS.length && seconds > BUCKETS[i]) {
                i++;
            }
            buckets[i].increment();
            nanos.add(elapsedNanos);
        }
    }
}
