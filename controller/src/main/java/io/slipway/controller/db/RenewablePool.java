package io.slipway.controller.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform's HikariCP pool, which {@link #renew} replaces after the server restarted. Every
 * connection of the old pool leads to the dead server, and the old pool's connection adder backs
 * off up to 5 s between attempts while the server was away, so it may be asleep when the server is
 * back; a fresh pool connects at once. Users of the {@link DataSource} (Quartz) keep this one object.
 */
final class RenewablePool implements DataSource, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RenewablePool.class);

    private final Supplier<HikariConfig> config;
    private volatile HikariDataSource current;
    private volatile OutageWatch watch = OutageWatch.NONE;

    RenewablePool(Supplier<HikariConfig> config) {
        this.config = config;
        this.current = new HikariDataSource(config.get());
    }

    /** While {@code watch} knows the server is away, connections fail at once rather than after the pool's timeout. */
    void watchedBy(OutageWatch watch) {
        this.watch = watch;
    }

    /** A fresh pool from now on; the old one closes in the background once its borrowed connections come back. */
    void renew() {
        HikariConfig fresh = config.get();
        fresh.setInitializationFailTimeout(-1); // connect lazily: a failure here must not keep the old pool's backoff
        HikariDataSource old = current;
        current = new HikariDataSource(fresh);
        Thread.ofVirtual().name("close-old-pool").start(() -> {
            try {
                old.close();
            } catch (RuntimeException e) {
                log.debug("closing the pool of the dead server", e);
            }
        });
    }

    @Override
    public Connection getConnection() throws SQLException {
        var away = watch.knownOutage();
        if (away.isPresent()) {
            throw new SQLTransientConnectionException(away.get(), "08006");
        }
        HikariDataSource pool = current;
        try {
            return pool.getConnection();
        } catch (SQLException e) {
            if (current != pool) {
                return current.getConnection(); // renewed while this waited on the dead server: the fresh pool has the live one
            }
            throw e;
        }
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("the platform pool has one set of credentials");
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return current.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        current.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        current.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return current.getLoginTimeout();
    }

    @Override
    public java.util.logging.Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        return current.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || current.isWrapperFor(type);
    }

    @Override
    public void close() {
        current.close();
    }
}
