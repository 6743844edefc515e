package io.slipway.controller.addons;

import io.slipway.controller.http.ApiException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A kind of add-on Slipway offers: its image (built from {@code buildpacks/services/<name>}), the
 * versions that image provides, where its data lives, its limits, how to ask it whether it
 * accepts connections and the URL an app gets. The whole catalogue is {@link #ALL}.
 */
record Service(String name, String label, List<String> versions, String defaultAttachment, int port, String dataDir,
               long memoryBytes) {

    static final Service POSTGRES = new Service("postgres", "PostgreSQL", List.of("15"), "DATABASE", 5432,
            "/var/lib/postgresql/data", 512L << 20);
    static final Service REDIS = new Service("redis", "Redis", List.of("7"), "REDIS", 6379, "/data", 256L << 20);
    static final List<Service> ALL = List.of(POSTGRES, REDIS);

    /** The service called {@code name}, or a 422 that lists what exists. */
    static Service named(String name) {
        if (name == null || name.isBlank()) {
            throw ApiException.invalid("say which service: " + catalogue() + " (e.g. {\"service\": \"postgres\"})");
        }
        return ALL.stream().filter(s -> s.name.equals(name.strip().toLowerCase())).findFirst()
                .orElseThrow(() -> ApiException.invalid("unknown service '" + name + "'; Slipway offers " + catalogue()));
    }

    /** The version asked for (the newest when null), or a 422 that lists the versions there are. */
    String version(String requested) {
        if (requested == null || requested.isBlank()) {
            return versions.getLast();
        }
        if (!versions.contains(requested.strip())) {
            throw ApiException.invalid("unknown " + name + " version '" + requested + "'; available: "
                    + String.join(", ", versions));
        }
        return requested.strip();
    }

    static String catalogue() {
        return ALL.stream().map(s -> s.name + " (" + String.join(", ", s.versions) + ")").collect(Collectors.joining(", "));
    }

    /** The attachment name of this add-on's {@code number}th instance when the default is taken: POSTGRES_2. */
    String numberedAttachment(int number) {
        return name.toUpperCase() + "_" + number;
    }

    /** The environment the server container starts with: its credentials. */
    Map<String, String> env(Addon addon) {
        return switch (name) {
            case "postgres" -> Map.of("POSTGRES_USER", addon.username(), "POSTGRES_PASSWORD", addon.password(),
                    "POSTGRES_DB", addon.database(),
                    // so that `docker exec … psql` (pg:psql, pg:info) needs no arguments to reach the database
                    "PGHOST", "/var/run/postgresql", "PGUSER", addon.username(), "PGDATABASE", addon.database());
            case "redis" -> Map.of("REDIS_PASSWORD", addon.password(), "REDISCLI_AUTH", addon.password());
            default -> throw new IllegalStateException("no environment for " + name);
        };
    }

    /** The command that tells, from inside the container, whether the server accepts connections. */
    List<String> readyCommand() {
        return switch (name) {
            case "postgres" -> List.of("pg_isready", "-q");
            case "redis" -> List.of("redis-cli", "ping");
            default -> throw new IllegalStateException("no readiness check for " + name);
        };
    }

    /** Whether the output of a successful {@link #readyCommand()} means ready (redis-cli exits 0 on errors too). */
    boolean readyOutput(String stdout) {
        return !name.equals("redis") || stdout.strip().equals("PONG");
    }

    /** The URL an attached app gets, naming the server by its container on the app's network. */
    String url(Addon addon, String host) {
        return switch (name) {
            case "postgres" -> "postgres://" + addon.username() + ":" + addon.password() + "@" + host + ":" + port + "/"
                    + addon.database();
            case "redis" -> "redis://:" + addon.password() + "@" + host + ":" + port;
            default -> throw new IllegalStateException("no URL for " + name);
        };
    }
}
