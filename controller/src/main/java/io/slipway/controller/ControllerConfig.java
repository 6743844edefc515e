package io.slipway.controller;

import io.slipway.controller.db.DatabaseUrl;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the controller is told by its environment (factor III, applied to the platform itself).
 * Built once in {@code main}, validated here, so a bad value stops the process with one clear line.
 */
public record ControllerConfig(
        Path home,
        Optional<DatabaseUrl> databaseUrl,
        String bind,
        int apiPort,
        int routerPort,
        String domain,
        Duration databaseTimeout) {

    public ControllerConfig {
        if (apiPort < 1 || apiPort > 65535) {
            throw new IllegalArgumentException("SLIPWAY_API_PORT must be a port number (1-65535), got " + apiPort);
        }
        if (routerPort < 1 || routerPort > 65535) {
            throw new IllegalArgumentException("SLIPWAY_ROUTER_PORT must be a port number (1-65535), got " + routerPort);
        }
        if (domain.isBlank()) {
            throw new IllegalArgumentException("SLIPWAY_DOMAIN must not be empty");
        }
    }

    public static ControllerConfig fromEnv(Map<String, String> env) {
        Path home = Path.of(env.getOrDefault("SLIPWAY_HOME", System.getProperty("user.home") + "/.slipway"))
                .toAbsolutePath();
        Optional<DatabaseUrl> db = Optional.ofNullable(env.get("DATABASE_URL"))
                .filter(s -> !s.isBlank())
                .map(DatabaseUrl::parse);
        return new ControllerConfig(
                home,
                db,
                env.getOrDefault("SLIPWAY_BIND", "127.0.0.1"),
                port(env, "SLIPWAY_API_PORT", 5050),
                port(env, "SLIPWAY_ROUTER_PORT", 8080),
                env.getOrDefault("SLIPWAY_DOMAIN", "localhost"),
                Duration.ofSeconds(3));
    }

    /** Where people reach an app: {@code http://shop.localhost:8080/}. */
    public String webUrl(String app) {
        return "http://" + app + "." + domain + (routerPort == 80 ? "" : ":" + routerPort) + "/";
    }

    /** The git remote of an app, on the API port. */
    public String gitUrl(String app) {
        return "http://" + bind + ":" + apiPort + "/git/" + app + ".git";
    }

    private static int port(Map<String, String> env, String name, int fallback) {
        String raw = env.get(name);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a port number, got '" + raw + "'");
        }
    }
}
