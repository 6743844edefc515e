package io.slipway.controller.db;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Where the platform's PostgreSQL is, as a JDBC URL plus credentials. Accepts Heroku's
 * {@code postgres://user:pass@host:port/db} form and plain {@code jdbc:postgresql://} URLs.
 * {@link #toString()} never shows the password, so the value can be logged.
 */
public record DatabaseUrl(String jdbcUrl, String user, String password) {

    public static DatabaseUrl parse(String raw) {
        String s = raw.trim();
        if (s.startsWith("jdbc:postgresql:")) {
            return new DatabaseUrl(s, null, null);
        }
        if (!s.startsWith("postgres://") && !s.startsWith("postgresql://")) {
            throw new IllegalArgumentException(
                    "DATABASE_URL must look like postgres://user:password@host:5432/dbname, got a value starting '"
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
            user = decode(parts[0]);
            password = parts.length > 1 ? decode(parts[1]) : null;
        }
        String jdbc = "jdbc:postgresql://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "")
                + uri.getRawPath() + (uri.getRawQuery() != null ? "?" + uri.getRawQuery() : "");
        return new DatabaseUrl(jdbc, user, password);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /** The URL without credentials, safe for logs and error messages. */
    public String describe() {
        return jdbcUrl + (user != null ? " as " + user : "");
    }

    @Override
    public String toString() {
        return "DatabaseUrl[" + describe() + "]";
    }
}
