package io.slipway.controller.testing;

import io.slipway.controller.Controller;
import io.slipway.controller.ControllerConfig;
import io.slipway.controller.db.DatabaseUrl;
import io.slipway.controller.db.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real controller for tests: in-process, on a free loopback port, with its own
 * {@code SLIPWAY_HOME} and its own database. {@link #start()} uses a database in the
 * {@link SharedPostgres} server through {@code DATABASE_URL}; {@link #startEmbedded()} leaves
 * {@code DATABASE_URL} unset so the controller starts its own embedded PostgreSQL, as {@code ./slipway up} does.
 */
public final class TestPlatform implements AutoCloseable {
    private final Path home;
    private final Map<String, String> env;
    private final String databaseUrl;
    private Controller controller;

    private TestPlatform(Path home, Map<String, String> env, String databaseUrl) {
        this.home = home;
        this.env = env;
        this.databaseUrl = databaseUrl;
        this.controller = Controller.start(ControllerConfig.fromEnv(env));
    }

    /** A controller on a fresh database of the shared test PostgreSQL server. */
    public static TestPlatform start() {
        return start(Map.of());
    }

    /** As {@link #start()}, with extra environment (e.g. {@code SLIPWAY_BUILD_TIMEOUT}). */
    public static TestPlatform start(Map<String, String> extraEnv) {
        String url = SharedPostgres.get().createDatabase();
        Map<String, String> env = baseEnv(newHome());
        env.put("DATABASE_URL", url);
        env.putAll(extraEnv);
        return new TestPlatform(Path.of(env.get("SLIPWAY_HOME")), env, url);
    }

    /** A controller that starts (and owns) an embedded PostgreSQL under its home, as on a fresh machine. */
    public static TestPlatform startEmbedded() {
        Map<String, String> env = baseEnv(newHome());
        Path home = Path.of(env.get("SLIPWAY_HOME"));
        linkSharedBinaries(home);
        return new TestPlatform(home, env, null);
    }

    /** The environment the platform was started with, usable as the CLI's environment too. */
    public Map<String, String> env() {
        return Map.copyOf(env);
    }

    public Path home() {
        return home;
    }

    public String apiUrl() {
        return "http://127.0.0.1:" + env.get("SLIPWAY_API_PORT");
    }

    public String adminToken() {
        try {
            return Files.readString(home.resolve("admin-token")).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the in-process controller, so that a {@link ControllerProcess} can take over the same home and database. */
    public void stopController() {
        controller.close();
    }

    /** Starts the in-process controller again after {@link #stopController()}. */
    public void startController() {
        controller = Controller.start(ControllerConfig.fromEnv(env));
    }

    /** Stops the controller and starts a new one on the same home and database, as after a crash. */
    public void restartController() {
        controller.close();
        controller = Controller.start(ControllerConfig.fromEnv(env));
    }

    /** How to reach this platform's database directly (external or embedded), for assertions on what it stored. */
    public DatabaseUrl database() {
        if (databaseUrl != null) {
            return DatabaseUrl.parse(databaseUrl);
        }
        try {
            return EmbeddedPostgres.underHome(home).url();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The label value on everything this platform starts in Docker. */
    public String platformId() {
        return controller.platformId();
    }

    @Override
    public void close() {
        String platform = controller.platformId();
        controller.close();
        DockerCleanup.removeEverythingOf(platform);
        if (databaseUrl != null) {
            SharedPostgres.get().dropDatabase(databaseUrl);
        } else {
            EmbeddedPostgres.underHome(home).stop();
        }
        deleteTree(home);
    }

    /** Unpacked PostgreSQL binaries shared by every test cluster of this module. */
    static Path postgresBinaries() {
        return Path.of("target", "test-postgres", "binaries").toAbsolutePath();
    }

    private static void linkSharedBinaries(Path home) {
        // Unpacking takes a couple of seconds; point the new home at the module's copy instead.
        try {
            SharedPostgres.get();
            Path dir = EmbeddedPostgres.binariesUnder(home);
            Files.createDirectories(dir.getParent());
            Files.createSymbolicLink(dir, postgresBinaries());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> baseEnv(Path home) {
        Map<String, String> env = new HashMap<>();
        env.put("SLIPWAY_HOME", home.toString());
        env.put("SLIPWAY_API_PORT", Integer.toString(freePort()));
        env.put("SLIPWAY_ROUTER_PORT", Integer.toString(freePort()));
        env.put("SLIPWAY_API_TLS_PORT", Integer.toString(freePort()));
        env.put("SLIPWAY_RENDEZVOUS_PORT", Integer.toString(freePort()));
        env.put("SLIPWAY_BIND", "127.0.0.1");
        env.put("SLIPWAY_DOMAIN", "localhost");
        return env;
    }

    private static Path newHome() {
        try {
            return Files.createTempDirectory("slipway-test-home-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTree(Path p) {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            walk.sorted(Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
