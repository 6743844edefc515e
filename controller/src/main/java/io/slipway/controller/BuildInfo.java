package io.slipway.controller;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** Versions stamped in at build time (Maven resource filtering of {@code slipway-build.properties}). */
public final class BuildInfo {
    private static final Properties PROPS = load();

    private BuildInfo() {}

    public static String version() {
        return PROPS.getProperty("version", "dev");
    }

    /** Version of the bundled PostgreSQL binaries; it names their unpack directory, so an upgrade unpacks afresh. */
    public static String postgresVersion() {
        return PROPS.getProperty("postgres.version", "bundled");
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("/slipway-build.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }
}
