package io.slipway.router;

/**
 * One routable web dyno: where the router may send an app's requests.
 *
 * @param app       the app it belongs to
 * @param container the dyno's container name (unique across the platform)
 * @param name      the dyno as people name it, {@code web.1}
 * @param port      its port, published on 127.0.0.1 (the only address the router connects to)
 */
record Backend(String app, String container, String name, int port) {
    Backend {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("dyno " + name + " of " + app + " has no usable port: " + port);
        }
    }

    @Override
    public String toString() {
        return "app=" + app + " dyno=" + name + " port=" + port;
    }
}
