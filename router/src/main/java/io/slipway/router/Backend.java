package io.slipway.router;

import java.util.regex.Pattern;

/**
 * One routable web dyno: where the router may send an app's requests.
 *
 * @param app       the app it belongs to
 * @param container the dyno's container name (unique across the platform)
 * @param name      the dyno as people name it, {@code web.1}
 * @param host      the IPv4 address it listens on: 127.0.0.1 for a dyno of the single engine (it
 *                  publishes its port on loopback), its node's address for a Swarm task
 * @param port      its port there
 */
record Backend(String app, String container, String name, String host, int port) {
    /** An IPv4 literal: the router never resolves a name on the request path, and takes no name from a row. */
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

    static final String LOOPBACK = "127.0.0.1";

    Backend {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("dyno " + name + " of " + app + " has no usable port: " + port);
        }
        if (host == null || !IPV4.matcher(host).matches()) {
            throw new IllegalArgumentException("dyno " + name + " of " + app + " has no usable address: " + host);
        }
    }

    /** A dyno of the single engine, on loopback. */
    Backend(String app, String container, String name, int port) {
        this(app, container, name, LOOPBACK, port);
    }

    @Override
    public String toString() {
        return "app=" + app + " dyno=" + name + " at=" + host + ":" + port;
    }
}
