package io.slipway.controller;

import io.slipway.controller.db.DatabaseUrl;
import io.slipway.controller.docker.LogRotation;
import io.slipway.controller.http.ApiServer;
import io.slipway.controller.swarm.Scheduler;
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
        Duration databaseTimeout,
        Path buildpacksDir,
        Duration buildTimeout,
        Path buildCaBundle,
        Map<String, String> hostEnv,
        Duration dynoGrace,
        Duration bootTimeout,
        Duration restartBackoffCap,
        int maxDynosPerType,
        Duration runMaxTime,
        int logPort,
        long buildMemoryBytes,
        double buildCpus,
        LogRotation containerLogs,
        ApiServer.Timeouts apiTimeouts,
        Scheduler scheduler,
        int registryPort) {

    /** Below this a build of any of the built-in languages runs out of memory. */
    static final long MIN_BUILD_MEMORY = 256L << 20;

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
        if (logPort < 1 || logPort > 65535) {
            throw new IllegalArgumentException("SLIPWAY_LOG_PORT must be a port number (1-65535), got " + logPort);
        }
        if (buildTimeout.isNegative() || buildTimeout.isZero()) {
            throw new IllegalArgumentException("SLIPWAY_BUILD_TIMEOUT must be positive, got " + buildTimeout);
        }
        if (buildMemoryBytes < MIN_BUILD_MEMORY) {
            throw new IllegalArgumentException("SLIPWAY_BUILD_MEMORY must be at least 256m, got " + (buildMemoryBytes >> 20) + "m");
        }
        int hostCpus = Runtime.getRuntime().availableProcessors();
        if (!(buildCpus >= 0.1 && buildCpus <= hostCpus)) {
            throw new IllegalArgumentException("SLIPWAY_BUILD_CPUS must be from 0.1 to " + hostCpus
                    + " (this host's CPUs), got " + buildCpus);
        }
        hostEnv = Map.copyOf(hostEnv);
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
                Duration.ofSeconds(3),
                buildpacksDir(env),
                duration(env, "SLIPWAY_BUILD_TIMEOUT", Duration.ofMinutes(15)),
                Path.of(env.getOrDefault("SLIPWAY_BUILD_CA_BUNDLE", "/etc/ssl/certs/ca-certificates.crt")),
                env,
                duration(env, "SLIPWAY_DYNO_GRACE", Duration.ofSeconds(30)),
                duration(env, "SLIPWAY_BOOT_TIMEOUT", Duration.ofSeconds(60)),
                duration(env, "SLIPWAY_RESTART_BACKOFF_CAP", Duration.ofMinutes(5)),
                number(env, "SLIPWAY_MAX_DYNOS_PER_TYPE", 20),
                duration(env, "SLIPWAY_RUN_MAX_TIME", Duration.ofHours(24)),
                // UDP, where routers send their request lines: next to the API port unless told.
                port(env, "SLIPWAY_LOG_PORT", port(env, "SLIPWAY_API_PORT", 5050) + 1),
                bytes(env, "SLIPWAY_BUILD_MEMORY", 2L << 30),
                cpus(env, "SLIPWAY_BUILD_CPUS", Math.min(2, Runtime.getRuntime().availableProcessors())),
                new LogRotation(env.getOrDefault("SLIPWAY_CONTAINER_LOG_MAX_SIZE", LogRotation.DEFAULT.maxSize()).trim()
                        .toLowerCase(java.util.Locale.ROOT),
                        number(env, "SLIPWAY_CONTAINER_LOG_MAX_FILES", LogRotation.DEFAULT.maxFiles())),
                new ApiServer.Timeouts(duration(env, "SLIPWAY_API_PARSE_TIMEOUT", Duration.ofSeconds(30)),
                        duration(env, "SLIPWAY_API_IDLE_TIMEOUT", Duration.ofSeconds(60))),
                Scheduler.parse("SLIPWAY_SCHEDULER", env.get("SLIPWAY_SCHEDULER")),
                port(env, "SLIPWAY_REGISTRY_PORT", 5000));
    }

    /** {@code 2g}, {@code 1536m}, {@code 512k} or a number of bytes. */
    static long bytes(Map<String, String> env, String name, long fallback) {
        String raw = env.get(name);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        var m = java.util.regex.Pattern.compile("(\\d{1,12})\\s*([kKmMgG]?)[bB]?").matcher(raw.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(name + " must be a size like 2g, 1536m or 512m, got '" + raw + "'");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2).toLowerCase(java.util.Locale.ROOT)) {
            case "k" -> n << 10;
            case "m" -> n << 20;
            case "g" -> n << 30;
            default -> n;
        };
    }

    /** A number of CPUs, whole or not ({@code 1}, {@code 1.5}). */
    static double cpus(Map<String, String> env, String name, double fallback) {
        String raw = env.get(name);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            double n = Double.parseDouble(raw.trim());
            if (!Double.isFinite(n)) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number of CPUs like 1 or 1.5, got '" + raw + "'");
        }
    }

    /**
     * The built-in buildpacks and stack definitions: {@code SLIPWAY_BUILDPACKS_DIR}, else the
     * {@code buildpacks/} of the checkout this controller runs from (found from the working
     * directory or the jar's location).
     */
    static Path buildpacksDir(Map<String, String> env) {
        String given = env.get("SLIPWAY_BUILDPACKS_DIR");
        if (given != null && !given.isBlank()) {
            return Path.of(given).toAbsolutePath();
        }
        java.util.List<Path> starts = new java.util.ArrayList<>();
        starts.add(Path.of("").toAbsolutePath());
        try {
            starts.add(Path.of(ControllerConfig.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
        } catch (java.net.URISyntaxException | RuntimeException ignored) {
            // fall back to the working directory alone
        }
        for (Path start : starts) {
            for (Path p = start; p != null; p = p.getParent()) {
                if (java.nio.file.Files.isRegularFile(p.resolve("buildpacks/order"))) {
                    return p.resolve("buildpacks");
                }
            }
        }
        return Path.of("buildpacks").toAbsolutePath();
    }

    private static int number(Map<String, String> env, String name, int fallback) {
        String raw = env.get(name);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(raw.trim());
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a positive whole number, got '" + raw + "'");
        }
    }

    /** {@code 900}, {@code 900s}, {@code 15m} or {@code 1h}. */
    static Duration duration(Map<String, String> env, String name, Duration fallback) {
        String raw = env.get(name);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        var m = java.util.regex.Pattern.compile("(\\d+)\\s*([smh]?)").matcher(raw.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(name + " must be a duration like 900, 900s, 15m or 1h, got '" + raw + "'");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
    }

    /** Where people reach an app: {@code http://shop.localhost:8080/}. */
    public String webUrl(String app) {
        return "http://" + app + "." + domain + (routerPort == 80 ? "" : ":" + routerPort) + "/";
    }

    /** The git remote of an app, on the API port. */
    public String gitUrl(String app) {
        return apiUrl() + "/git/" + app + ".git";
    }

    /** Where clients reach the API: the bind address, or loopback when it binds every address. */
    public String apiUrl() {
        String host = bind.equals("0.0.0.0") || bind.equals("::") || bind.equals("[::]") ? "127.0.0.1" : bind;
        return "http://" + (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + apiPort;
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
