package io.slipway.controller.db;

import com.zaxxer.hikari.HikariConfig;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform's state: a HikariCP pool on PostgreSQL, migrated by Flyway at start.
 * Services borrow connections through {@link #inTransaction}; an unreachable database surfaces as
 * {@link DatabaseUnavailableException}, which the API answers with 503 until the database is back.
 */
public final class Database implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Database.class);

    private final RenewablePool pool;
    private volatile OutageWatch watch = OutageWatch.NONE;

    private Database(RenewablePool pool) {
        this.pool = pool;
    }

    /** Connects (waiting up to {@code startupWait} for the server), then applies pending migrations. */
    public static Database open(DatabaseUrl url, Duration requestTimeout, Duration startupWait) {
        RenewablePool pool;
        try {
            pool = new RenewablePool(() -> config(url, requestTimeout, startupWait));
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot reach the platform database at " + url.describe() + ": "
                    + rootMessage(e), e);
        }
        var result = Flyway.configure()
                .dataSource(pool)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        log.info("database {} ready at schema version {} ({} migration(s) applied)",
                url.describe(), result.targetSchemaVersion, result.migrationsExecuted);
        return new Database(pool);
    }

    private static HikariConfig config(DatabaseUrl url, Duration requestTimeout, Duration startupWait) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("slipway-db");
        config.setJdbcUrl(url.jdbcUrl());
        if (url.user() != null) {
            config.setUsername(url.user());
        }
        if (url.password() != null) {
            config.setPassword(url.password());
        }
        config.setMaximumPoolSize(10);
        config.setMinimumIdle(1);
        // A request must not hang for Hikari's default 30 s when the database is down: fail fast with 503.
        config.setConnectionTimeout(requestTimeout.toMillis());
        config.setValidationTimeout(Math.min(requestTimeout.toMillis(), 2000));
        config.setInitializationFailTimeout(startupWait.toMillis());
        config.addDataSourceProperty("ApplicationName", "slipway-controller");
        config.addDataSourceProperty("connectTimeout", Long.toString(Math.max(1, requestTimeout.toSeconds())));
        config.addDataSourceProperty("tcpKeepAlive", "true");
        return config;
    }

    /**
     * While {@code watch} knows the database is away (the embedded server is restarting), requests
     * fail at once with what it says instead of waiting out the pool's connection timeout.
     */
    public void watchedBy(OutageWatch watch) {
        this.watch = watch;
        pool.watchedBy(watch);
    }

    /** After the server restarted: a fresh pool, since every connection of the old one leads to the dead server. */
    public void reconnect() {
        pool.renew();
    }

    /** The pool for those who take connections themselves (Quartz); it fails at once, too, while the server restarts. */
    public DataSource dataSource() {
        return pool;
    }

    /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
    public <T> T inTransaction(SqlWork<T> work) {
        try (Connection c = connection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            }
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    /** True when a trivial query answers: the health check. */
    public boolean isReachable() {
        try (Connection c = connection(); var st = c.createStatement()) {
            st.execute("select 1");
            return true;
        } catch (SQLException | DatabaseUnavailableException e) {
            return false;
        }
    }

    private Connection connection() throws SQLException {
        return pool.getConnection();
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is likely gone; the pool evicts it
        }
    }

    /** Connection-class failures (SQLSTATE 08xxx, pool timeouts) mean "down", anything else is a bug. */
    private RuntimeException translate(SQLException e) {
        String state = e.getSQLState();
        if (e instanceof java.sql.SQLTransientConnectionException
                || (state != null && (state.startsWith("08") || state.equals("57P01") || state.equals("57P03")))) {
            return new DatabaseUnavailableException(rootMessage(e),
                    watch.afterFailure().orElse(DatabaseUnavailableException.UNAVAILABLE), e);
        }
        if ("23505".equals(state)) {
            return new UniqueViolationException(e);
        }
        return new IllegalStateException("database error: " + e.getMessage(), e);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    @Override
    public void close() {
        pool.close();
    }

    /** A unit of JDBC work. */
    @FunctionalInterface
    public interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }
}
