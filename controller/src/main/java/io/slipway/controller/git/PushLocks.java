package io.slipway.controller.git;

import io.slipway.controller.db.DatabaseUrl;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import java.util.UUID;

/**
 * One push at a time to an app, across every controller on the database: a PostgreSQL advisory
 * lock keyed by the app's id, held from the moment a push's commands are checked until its bundle
 * is stored and the push has ended.
 *
 * <p>Session-scoped, on a connection of its own that the push closes when it ends: a push holds it
 * for as long as its build and deploy take (minutes), which a transaction-scoped lock would turn
 * into an idle open transaction for that long (holding back vacuum, meeting any
 * {@code idle_in_transaction_session_timeout}) and which would hold one of the pool's few
 * connections. Closing the session frees the lock whatever happened, and a controller that dies
 * mid-push loses its session, and so the lock, with it.
 */
public final class PushLocks {
    /** The advisory lock's first key, "SLGT"; the second is a hash of the app's id (a collision only serializes two apps). */
    private static final int LOCK_CLASS = 0x534c4754;
    /** How long a push waits quietly before it tells the pusher what it waits for. */
    static final Duration QUIET_WAIT = Duration.ofSeconds(2);

    private final DatabaseUrl url;
    private final Duration patience;

    /** @param patience how long a push waits for another push to the same app before it gives up */
    public PushLocks(DatabaseUrl url, Duration patience) {
        this.url = url;
        this.patience = patience;
    }

    /** The app's lock, once held: closing it lets the next push in. */
    public interface Held extends AutoCloseable {
        @Override
        void close();
    }

    /** Another push held the app's lock for all of {@link #patience}. */
    public static final class BusyException extends Exception {
        BusyException(String message) {
            super(message);
        }
    }

    /** Takes the app's lock, calling {@code waiting} once if it is not free within {@link #QUIET_WAIT}. */
    public Held take(UUID app, Runnable waiting) throws SQLException, BusyException {
        Connection session = connect();
        try {
            if (!lock(session, app, QUIET_WAIT)) {
                waiting.run();
                if (!lock(session, app, patience.minus(QUIET_WAIT))) {
                    throw new BusyException("another push held the repository for " + patience.toSeconds()
                            + " s; push again once it has finished");
                }
            }
            return () -> {
                try {
                    session.close(); // ends the session, and the lock with it
                } catch (SQLException e) {
                    // a session that cannot be closed is gone already, and so is its lock
                }
            };
        } catch (SQLException | BusyException | RuntimeException e) {
            session.close();
            throw e;
        }
    }

    private static boolean lock(Connection session, UUID app, Duration wait) throws SQLException {
        try (var st = session.createStatement()) {
            st.execute("set lock_timeout = " + Math.max(1, wait.toMillis()));
        }
        try (var st = session.prepareStatement("select pg_advisory_lock(?, hashtext(?))")) {
            st.setInt(1, LOCK_CLASS);
            st.setString(2, app.toString());
            st.execute();
            return true;
        } catch (SQLException e) {
            if ("55P03".equals(e.getSQLState())) { // lock_not_available: lock_timeout passed
                return false;
            }
            throw e;
        }
    }

    private Connection connect() throws SQLException {
        Properties p = new Properties();
        if (url.user() != null) {
            p.setProperty("user", url.user());
        }
        if (url.password() != null) {
            p.setProperty("password", url.password());
        }
        p.setProperty("ApplicationName", "slipway-push");
        p.setProperty("tcpKeepAlive", "true");
        p.setProperty("connectTimeout", "5");
        return DriverManager.getConnection(url.jdbcUrl(), p);
    }
}
