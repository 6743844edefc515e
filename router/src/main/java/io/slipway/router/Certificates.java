package io.slipway.router;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.Set;

/**
 * The certificates the router serves, by host name, swapped whole when the database says they
 * changed: handshakes from then on get the new ones; connections already open keep the session
 * they made. The platform certificate answers any other name (and clients that send no SNI).
 * Also which apps want plain HTTP sent to HTTPS.
 */
final class Certificates {
    /** A certificate ready for the TLS engine; {@code alias} names it to the key manager. */
    record Served(String alias, PrivateKey key, X509Certificate[] chain) {}

    private record Snapshot(Map<String, Served> byHost, Map<String, Served> byAlias, Set<String> forceHttps) {}

    /** Loaded while the router connects to its database: reading and checking it is off the start's critical path. */
    private final CompletableFuture<Served> platform;
    private volatile Snapshot current = new Snapshot(Map.of(), Map.of(), Set.of());
    /** The one before: a handshake that chose an alias just before a swap still finds its key. */
    private volatile Snapshot previous = current;

    Certificates(Served platform) {
        this(CompletableFuture.completedFuture(platform));
    }

    Certificates(CompletableFuture<Served> platform) {
        this.platform = platform;
    }

    /** The platform certificate, waiting for it to be loaded; its loading's failure unwrapped. */
    Served platform() {
        try {
            return platform.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /** {@code byHost}: each app certificate under every name of its app it covers. */
    void replace(Map<String, Served> byHost, Set<String> forceHttps) {
        Map<String, Served> byAlias = new java.util.HashMap<>();
        byHost.values().forEach(s -> byAlias.put(s.alias(), s));
        byAlias.put(platform().alias(), platform());
        Snapshot next = new Snapshot(Map.copyOf(byHost), Map.copyOf(byAlias), Set.copyOf(forceHttps));
        previous = current;
        current = next;
    }

    /** The certificate for a TLS client asking for {@code host} (null: none asked). */
    Served forHost(String host) {
        Served s = host == null ? null : current.byHost().get(host);
        return s != null ? s : platform();
    }

    Served byAlias(String alias) {
        if (platform().alias().equals(alias)) {
            return platform();
        }
        Served s = current.byAlias().get(alias);
        return s != null ? s : previous.byAlias().get(alias);
    }

    boolean forceHttps(String app) {
        Set<String> apps = current.forceHttps();
        return !apps.isEmpty() && apps.contains(app);
    }

    int size() {
        return current.byHost().size();
    }
}
