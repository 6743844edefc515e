package io.slipway.router;

import io.slipway.keys.LogKey;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * The router's settings, from the same environment variables as the rest of the platform,
 * validated once at start.
 *
 * @param bind     the address to listen on ({@code SLIPWAY_BIND})
 * @param port     the port to listen on ({@code SLIPWAY_ROUTER_PORT}); 0 picks a free one (tests)
 * @param domain   apps answer at {@code <app>.<domain>} ({@code SLIPWAY_DOMAIN})
 * @param database where the routes are ({@code DATABASE_URL}, else the embedded one under {@code SLIPWAY_HOME})
 * @param timeout  how long a dyno has to start answering before the router gives up with H12
 *                 ({@code SLIPWAY_ROUTER_TIMEOUT}, seconds or a number with ms/s/m)
 * @param ioThreads the event loops that do all the proxying ({@code SLIPWAY_ROUTER_IO_THREADS}); by
 *                 default one per core, as nginx's {@code worker_processes auto}: an event loop takes CPU only
 *                 while requests come, and fewer loops would cap every app at what they can carry
 * @param logPort  the controller's UDP port for log lines ({@code SLIPWAY_LOG_PORT}, by default
 *                 {@code SLIPWAY_API_PORT + 1} as the controller has it): request lines go into each
 *                 app's log stream there; 0 writes them to stdout instead ({@code SLIPWAY_ROUTER_LOG=stdout})
 * @param logKeyFile the platform's secret that tags those lines ({@code $SLIPWAY_HOME/log-key}, shared with
 *                 the controller; made by whichever starts first); unused when {@code logPort} is 0
 * @param tls      HTTPS ({@code SLIPWAY_ROUTER_TLS_PORT}, {@code SLIPWAY_TLS_CERT}, {@code SLIPWAY_TLS_KEY}); null: plain HTTP only
 */
public record RouterConfig(String bind, int port, String domain, RouteDatabase database, Duration timeout, int ioThreads,
                           int logPort, Path logKeyFile, TlsSettings tls) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    public RouterConfig {
        if (bind == null || bind.isBlank()) {
            throw new IllegalArgumentException("SLIPWAY_BIND must be an address to listen on, e.g. 127.0.0.1");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("SLIPWAY_ROUTER_PORT must be a port number (1-65535), got " + port);
        }
        if (domain == null || domain.isBlank()) {
            throw new IllegalArgumentException("SLIPWAY_DOMAIN must not be empty");
        }
        domain = domain.trim().toLowerCase(Locale.ROOT);
        if (HostName.parse(domain) == null) {
            throw new IllegalArgumentException("SLIPWAY_DOMAIN must be a host name such as localhost or apps.example.com, got '" + domain + "'");
        }
        if (database == null) {
            throw new IllegalArgumentException("the router needs a database to read routes from");
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("SLIPWAY_ROUTER_TIMEOUT must be a positive duration, got " + timeout);
        }
        if (ioThreads < 1 || ioThreads > 256) {
            throw new IllegalArgumentException("SLIPWAY_ROUTER_IO_THREADS must be between 1 and 256, got " + ioThreads);
        }
        if (logPort < 0 || logPort > 65535) {
            throw new IllegalArgumentException("SLIPWAY_LOG_PORT must be a port number (1-65535), got " + logPort);
        }
        if (logPort > 0 && logKeyFile == null) {
            throw new IllegalArgumentException("request lines to the controller need the platform's log key (SLIPWAY_HOME/log-key)");
        }
    }

    /** With the default number of IO threads, request lines on stdout. */
    public RouterConfig(String bind, int port, String domain, RouteDatabase database, Duration timeout) {
        this(bind, port, domain, database, timeout, defaultIoThreads(), 0, null, null);
    }

    /** The same settings, serving HTTPS as {@code tls} says. */
    RouterConfig withTls(TlsSettings tls) {
        return new RouterConfig(bind, port, domain, database, timeout, ioThreads, logPort, logKeyFile, tls);
    }

    /** The same settings on ports the system picks (the training run beside a running router). */
    RouterConfig onFreePorts() {
        TlsSettings freeTls = tls == null ? null : new TlsSettings(0, tls.certFile(), tls.keyFile(), tls.home(), tls.engine());
        return new RouterConfig(bind, 0, domain, database, timeout, ioThreads, logPort, logKeyFile, freeTls);
    }

    static int defaultIoThreads() {
        return Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    public static RouterConfig fromEnv(Map<String, String> env) {
        String raw = env.getOrDefault("SLIPWAY_ROUTER_PORT", "8080");
        int port;
        try {
            port = Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("SLIPWAY_ROUTER_PORT must be a port number, got '" + raw + "'");
        }
        if (port == 0) {
            throw new IllegalArgumentException("SLIPWAY_ROUTER_PORT must be a port number (1-65535), got 0");
        }
        return new RouterConfig(env.getOrDefault("SLIPWAY_BIND", "127.0.0.1"), port,
                env.getOrDefault("SLIPWAY_DOMAIN", "localhost"), RouteDatabase.fromEnv(env),
                parseTimeout(env.get("SLIPWAY_ROUTER_TIMEOUT")), parseIoThreads(env.get("SLIPWAY_ROUTER_IO_THREADS")),
                logPort(env), defaultHome(env).toAbsolutePath().resolve(LogKey.FILE),
                TlsSettings.fromEnv(env, defaultHome(env).toAbsolutePath()));
    }

    /** Where the controller takes log lines, as it computes it; 0 when SLIPWAY_ROUTER_LOG=stdout. */
    static int logPort(Map<String, String> env) {
        if ("stdout".equalsIgnoreCase(env.getOrDefault("SLIPWAY_ROUTER_LOG", "").trim())) {
            return 0;
        }
        String raw = env.get("SLIPWAY_LOG_PORT");
        String name = "SLIPWAY_LOG_PORT";
        int offset = 0;
        if (raw == null || raw.isBlank()) {
            raw = env.getOrDefault("SLIPWAY_API_PORT", "5050");
            name = "SLIPWAY_API_PORT";
            offset = 1;
        }
        try {
            int port = Integer.parseInt(raw.trim()) + offset;
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a port number (1-65535), got '" + raw + "'");
        }
    }

    static int parseIoThreads(String raw) {
        if (raw == null || raw.isBlank()) {
            return defaultIoThreads();
        }
        try {
            return Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("SLIPWAY_ROUTER_IO_THREADS must be a number of threads, got '" + raw + "'");
        }
    }

    /** {@code 30}, {@code 30s}, {@code 1500ms} or {@code 2m}; unset means 30 s. */
    static Duration parseTimeout(String raw) {
        if (raw == null || raw.isBlank()) {
            return DEFAULT_TIMEOUT;
        }
        String s = raw.trim().toLowerCase(Locale.ROOT);
        try {
            if (s.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2).trim()));
            }
            if (s.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1).trim()));
            }
            if (s.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(s.substring(0, s.length() - 1).trim()));
            }
            return Duration.ofSeconds(Long.parseLong(s));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("SLIPWAY_ROUTER_TIMEOUT must be seconds (30) or a duration like 30s, 1500ms, 2m; got '" + raw + "'");
        }
    }

    /** Where the router's home would be, for messages. */
    static Path defaultHome(Map<String, String> env) {
        String home = env.get("SLIPWAY_HOME");
        if (home != null && !home.isBlank()) {
            return Path.of(home);
        }
        return Path.of(System.getProperty("user.home"), ".slipway");
    }
}
