package io.slipway.controller.testing;

import io.slipway.controller.db.DatabaseUrl;
import io.slipway.controller.db.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;

/**
 * One real PostgreSQL server per test JVM (the same embedded binaries the platform uses), under
 * the module's {@code target/}. Each {@link TestPlatform} gets a database of its own in it, passed
 * as {@code DATABASE_URL}: that is the "external database" path of the controller.
 */
public final class SharedPostgres {
    private static SharedPostgres instance;

    private final EmbeddedPostgres server;
    private final DatabaseUrl admin;

    private SharedPostgres(EmbeddedPostgres server, DatabaseUrl admin) {
        this.server = server;
        this.admin = admin;
    }

    public static synchronized SharedPostgres get() {
        if (instance == null) {
            Path root = Path.of("target", "test-postgres").toAbsolutePath();
            EmbeddedPostgres server = new EmbeddedPostgres(TestPlatform.postgresBinaries(), root.resolve("cluster"));
            DatabaseUrl url = server.ensureRunning();
            instance = new SharedPostgres(server, url);
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "stop-test-postgres"));
        }
        return instance;
    }

    /** A new empty database, as a {@code postgres://} URL the way an operator would give it. */
    public String createDatabase() {
        String name = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        execute("create database " + name);
        String hostPort = admin.jdbcUrl().substring("jdbc:postgresql://".length(), admin.jdbcUrl().lastIndexOf('/'));
        return "postgres://" + admin.user() + ":" + admin.password() + "@" + hostPort + "/" + name;
    }

    public void dropDatabase(String postgresUrl) {
        String name = postgresUrl.substring(postgresUrl.lastIndexOf('/') + 1);
        execute("drop database if exists " + name + " with (force)");
    }

    /** Runs one statement as the server's superuser, connected to its maintenance database. */
    public void execute(String sql) {
        try (var c = DriverManager.getConnection(admin.jdbcUrl(), admin.user(), admin.password());
             var st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}
