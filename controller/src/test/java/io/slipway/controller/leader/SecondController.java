package io.slipway.controller.leader;

import io.slipway.controller.testing.TestPlatform;
import io.slipway.keys.CertKey;
import io.slipway.keys.LogKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * Another controller of a test platform, as an operator adds one: the same database, a home of its
 * own into which the platform's keys are copied, and ports of its own.
 */
public final class SecondController {
    private SecondController() {}

    public static Map<String, String> env(Map<String, String> of, Path home) {
        Path first = Path.of(of.get("SLIPWAY_HOME"));
        try {
            Files.createDirectories(home);
            for (String key : new String[] {CertKey.FILE, LogKey.FILE}) {
                Files.copy(first.resolve(key), home.resolve(key));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> env = new HashMap<>(of);
        env.put("SLIPWAY_HOME", home.toString());
        env.put("SLIPWAY_API_PORT", Integer.toString(TestPlatform.freePort()));
        env.put("SLIPWAY_LOG_PORT", Integer.toString(TestPlatform.freePort()));
        env.put("SLIPWAY_API_TLS_PORT", Integer.toString(TestPlatform.freePort()));
        env.put("SLIPWAY_RENDEZVOUS_PORT", Integer.toString(TestPlatform.freePort()));
        return env;
    }

    public static String apiUrl(Map<String, String> env) {
        return "http://127.0.0.1:" + env.get("SLIPWAY_API_PORT");
    }

    /** A number the platform's database answers to {@code sql}. */
    public static long count(TestPlatform platform, String sql, Object... args) {
        var url = platform.database();
        try (var c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
             var st = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                st.setObject(i + 1, args[i]);
            }
            var rs = st.executeQuery();
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    public static void deleteTree(Path p) {
        if (!Files.exists(p)) {
            return;
        }
        try (var walk = Files.walk(p)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
