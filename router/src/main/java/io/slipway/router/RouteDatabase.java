package io.slipway.router;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the platform's PostgreSQL is. Either {@code DATABASE_URL} (Heroku's
 * {@code postgres://user:pass@host:port/db} or a {@code jdbc:postgresql:} URL), or the embedded
 * server the controller runs under {@code $SLIPWAY_HOME/postgres}: that one is looked up at each
 * connection attempt, because the router starts alongside the controller, before it exists.
 */
public final class RouteDatabase {
    private final String databaseUrl;
    private final Path home;

    private RouteDatabase(String databaseUrl, Path home) {
        this.databaseUrl = databaseUrl;
        this.home = home;
    }

    /** A fixed database, as DATABASE_URL names it. */
    public static RouteDatabase ofUrl(String databaseUrl) {
        RouteDatabase db = new RouteDatabase(databaseUrl.trim(), null);
        db.parseUrl(); // fail fast on a malformed URL
        return db;
    }

    /** The embedded database of the platform whose state is under {@code home}. */
    public static RouteDatabase embeddedUnder(Path home) {
        return new RouteDatabase(null, home);
    }

    static RouteDatabase fromEnv(Map<String, String> env) {
        String url = env.get("DATABASE_URL");
        if (url != null && !url.isBlank()) {
            return ofUrl(url);
        }
        return embeddedUnder(RouterConfig.defaultHome(env));
    }

    /** How to connect right now; an IOException says what is missing (e.g. the embedded one has not been created yet). */
    Target resolve() throws IOException {
        if (databaseUrl != null) {
            return parseUrl();
        }
        Path dir = home.resolve("postgres");
        try {
            int port = Integer.parseInt(Files.readString(dir.resolve("port")).trim());
            String password = Files.readString(dir.resolve("password")).trim();
            return new Target("jdbc:postgresql://127.0.0.1:" + port + "/slipway", "slipway", password);
        } catch (NoSuchFileException e) {
            throw new IOException("the embedded PostgreSQL has not been set up yet (no " + e.getFile() + "); the controller creates it");
        } catch (NumberFormatException e) {
            throw new IOException(dir.resolve("port") + " does not hold a port number");
        }
    }

    /** For log lines: never the password. */
    String describe() {
        if (databaseUrl != null) {
            Target t = parseUrl();
            return t.url() + (t.user() != null ? " as " + t.user() : "");
        }
        return "the embedded PostgreSQL under " + home.resolve("postgres");
    }

    @Override
    public String toString() {
        return describe();
    }

    private Target parseUrl() {
        String s = databaseUrl;
        if (s.startsWith("jdbc:postgresql:")) {
            return new Target(s, null, null);
        }
        if (!s.startsWith("postgres://") && !s.startsWith("postgresql://")) {
            throw new IllegalArgumentException("DATABASE_URL must look like postgres://user:password@host:5432/dbname, got a value starting '"
                    + s.substring(0, Math.min(12, s.length())) + "'");
        }
        URI uri;
        try {
            uri = URI.create(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("DATABASE_URL is not a valid URL: " + e.getMessage());
        }
        if (uri.getHost() == null || uri.getPath() == null || uri.getPath().length() < 2) {
            throw new IllegalArgumentException("DATABASE_URL needs a host and a database name: postgres://user:password@host:5432/dbname");
        }
        String user = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
            password = parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : null;
        }
        String jdbc = "jdbc:postgresql://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "")
                + uri.getRawPath() + (uri.getRawQuery() != null ? "?" + uri.getRawQuery() : "");
        return new Target(jdbc, user, password);
    }

    /** A JDBC URL and credentials (user and password may be null when the URL carries them). */
    record Target(String url, String user, String password) {
        @Override
        public String toString() {
            return url + (user != null ? " as " + user : "");
        }
    }
}
