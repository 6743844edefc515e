package io.slipway.router;

import io.undertow.server.handlers.proxy.ProxyClient;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the router knows of one app: its routable web dynos (taken in turn), and enough of its
 * dynos' states to tell "no web dynos" (H14) from "all crashed" (H10).
 */
final class AppRoute implements ProxyClient.ProxyTarget {
    private final String app;
    private final List<Backend> backends;
    private final int webDynos;
    private final int crashedWebDynos;
    private final Map<String, Integer> dynoStates;
    private final AtomicInteger next = new AtomicInteger();
    /** {@link #backends()}' pools, looked up once rather than hashed per request; reset with the route. */
    private final DynoPool[] pools;

    AppRoute(String app, List<Backend> backends, int webDynos, int crashedWebDynos, Map<String, Integer> dynoStates) {
        this.app = app;
        this.backends = List.copyOf(backends);
        this.webDynos = webDynos;
        this.crashedWebDynos = crashedWebDynos;
        this.dynoStates = Map.copyOf(dynoStates);
        this.pools = new DynoPool[this.backends.size()];
    }

    /** The pool of backend {@code i}; racing threads may both look it up, and get the same one. */
    DynoPool pool(int i, DynoPools all) {
        DynoPool p = pools[i];
        if (p == null) {
            p = all.get(backends.get(i));
            pools[i] = p;
        }
        return p;
    }

    String app() {
        return app;
    }

    List<Backend> backends() {
        return backends;
    }

    /** Dynos of every type by state ({@code up}, {@code crashed}…), for /metrics. */
    Map<String, Integer> dynoStates() {
        return dynoStates;
    }

    /** Where round robin starts for the next request. */
    int nextStart() {
        int n = backends.size();
        if (n <= 1) {
            return 0; // no shared counter to bump: with one dyno, each request would move its cache line between cores for nothing
        }
        return Math.floorMod(next.getAndIncrement(), n);
    }

    /** Why this app cannot take a request now, or null when it has a dyno to send it to. */
    RouterError unavailable() {
        if (!backends.isEmpty()) {
            return null;
        }
        if (webDynos == 0) {
            return RouterError.NO_WEB_DYNOS;
        }
        if (crashedWebDynos == webDynos) {
            return RouterError.APP_CRASHED;
        }
        // Web dynos exist but none is routable yet (booting, or stopping during a deploy).
        return RouterError.NO_DYNO_READY;
    }

    @Override
    public String toString() {
        return "app=" + app + " routable=" + backends.size() + " web=" + webDynos + " crashed=" + crashedWebDynos;
    }
}
