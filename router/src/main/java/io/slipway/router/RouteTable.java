package io.slipway.router;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The routes in memory: app name → {@link AppRoute}, custom host name → app. Readers (every
 * request) see an immutable snapshot without locking; {@link RouteSync} replaces it, whole or one
 * app at a time.
 */
final class RouteTable {
    private record Snapshot(Map<String, AppRoute> apps, Map<String, String> hosts) {}

    private volatile Snapshot snapshot;

    /** False until the first load from the database succeeded. */
    boolean loaded() {
        return snapshot != null;
    }

    /** The app a host name belongs to: a custom domain first, then {@code <app>.<domain>}; null when none. */
    AppRoute lookup(HostName host, String domain) {
        Snapshot s = snapshot;
        if (s == null) {
            return null;
        }
        Object[] l = lastLookup.get();
        if (l[0] == s && l[1] == host && l[3] == domain) { // the same routes and the same (per-thread cached) host as this thread's last request
            return (AppRoute) l[2];
        }
        String app = s.hosts.get(host.name());
        if (app == null) {
            app = host.appUnder(domain);
        }
        AppRoute route = app == null ? null : s.apps.get(app);
        l[0] = s;
        l[1] = host;
        l[2] = route;
        l[3] = domain;
        return route;
    }

    /** Each thread's last lookup: snapshot, host, route, domain. */
    private final ThreadLocal<Object[]> lastLookup = ThreadLocal.withInitial(() -> new Object[4]);

    Collection<AppRoute> apps() {
        Snapshot s = snapshot;
        return s == null ? java.util.List.of() : s.apps.values();
    }

    /** Every backend in any route: the connection pools of all others can go. */
    Set<Backend> backends() {
        Set<Backend> all = new HashSet<>();
        for (AppRoute r : apps()) {
            all.addAll(r.backends());
        }
        return all;
    }

    synchronized void replaceAll(Map<String, AppRoute> apps, Map<String, String> hosts) {
        snapshot = new Snapshot(Map.copyOf(apps), Map.copyOf(hosts));
        notifyAll(); // a starting router waits for its first routes before it listens
    }

    /** Waits until the first load succeeded, for up to {@code timeout}; whether it has. */
    synchronized boolean awaitLoaded(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (long left = timeout.toNanos(); snapshot == null && left > 0; left = deadline - System.nanoTime()) {
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return snapshot != null;
    }

    /** Replaces one app's route and host names; a null route means the app is gone. */
    synchronized void replaceApp(String app, AppRoute route, Set<String> hostNames) {
        Snapshot s = snapshot;
        if (s == null) {
            return; // nothing loaded yet: the full load that comes first will include it
        }
        Map<String, AppRoute> apps = new HashMap<>(s.apps);
        Map<String, String> hosts = new HashMap<>(s.hosts);
        hosts.values().removeIf(app::equals);
        if (route == null) {
            apps.remove(app);
        } else {
            apps.put(app, route);
            for (String h : hostNames) {
                hosts.put(h, app);
            }
        }
        snapshot = new Snapshot(Map.copyOf(apps), Map.copyOf(hosts));
    }
}
