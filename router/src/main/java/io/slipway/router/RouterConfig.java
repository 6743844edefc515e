package io.slipway.router;

import java.util.Map;

/** The router's settings, from the same environment variables as the rest of the platform. */
public record RouterConfig(String bind, int port, String domain) {

    public RouterConfig {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("SLIPWAY_ROUTER_PORT must be a port number (1-65535), got " + port);
        }
        if (domain == null || domain.isBlank()) {
            throw new IllegalArgumentException("SLIPWAY_DOMAIN must not be empty");
        }
        domain = domain.toLowerCase(java.util.Locale.ROOT);
    }

    public static RouterConfig fromEnv(Map<String, String> env) {
        String raw = env.getOrDefault("SLIPWAY_ROUTER_PORT", "8080");
        int port;
        try {
            port = Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("SLIPWAY_ROUTER_PORT must be a port number, got '" + raw + "'");
        }
        return new RouterConfig(env.getOrDefault("SLIPWAY_BIND", "127.0.0.1"), port,
                env.getOrDefault("SLIPWAY_DOMAIN", "localhost"));
    }
}
