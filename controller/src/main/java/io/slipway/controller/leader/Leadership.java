package io.slipway.controller.leader;

import io.slipway.controller.db.Database;
import io.slipway.controller.db.DatabaseUrl;
import java.io.IOException;
import java.net.InetAddress;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which of the controllers on one database leads reconciliation: the one that holds the platform's
 * PostgreSQL session-level advisory lock, on a connection of its own. Only the leader does the
 * {@link Duty duties} (the loops that start and stop containers and move releases on); every
 * controller serves the API, whose actions only write the database, which the leader's loops read
 * at their next tick. Followers try for the lock every {@code retry}; the lock goes with the
 * leader's session, so a leader killed or cut off loses it, and a leader that cannot reach the
 * database any more steps down at once rather than reconcile on beside the next one.
 */
public final class Leadership implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Leadership.class);
    /** The advisory lock's first key, "SLPW": the second is the platform's, so one lock per platform. */
    private static final int LOCK_CLASS = 0x534c5057;
    /** Our sessions' application_name starts so; what follows is the controller's id, which names the leader. */
    private static final String APPLICATION = "slipway-controller ";
    /** How long the leader waits for the database to answer its liveness check before it steps down. */
    private static final int CHECK_SECONDS = 2;

    /** Work that only the leader does: {@code lead} when this controller gains the lead, {@code stepDown} when it loses it. */
    public record Duty(String name, Runnable lead, Runnable stepDown) {
        public static Duty of(String name, Runnable lead, Runnable stepDown) {
            return new Duty(name, lead, stepDown);
        }
    }

    /** What {@code /healthz} says: this controller's id, whether it leads, and which controller does (empty when none is seen). */
    public record Status(String self, boolean leads, Optional<String> leader) {}

    private final DatabaseUrl url;
    private final String self;
    private final int platformKey;
    private final List<Duty> duties;
    private final Duration retry;
    private final Thread thread;
    /** The session opened while the rest of the controller starts, so that taking the lead adds nothing to start-up. */
    private CompletableFuture<Connection> opening = new CompletableFuture<>();
    /** Touched by the caller of {@link #start} until the thread starts, then only by the thread (and {@link #close} after it ended). */
    private Connection session;
    private volatile boolean leads;
    private volatile String leader;
    private volatile boolean closed;

    private Leadership(DatabaseUrl url, String platform, String self, List<Duty> duties, Duration retry) {
        this.url = url;
        this.self = self;
        this.platformKey = platform.hashCode() & 0x7fffffff;
        this.duties = List.copyOf(duties);
        this.retry = retry;
        this.thread = Thread.ofPlatform().name("leadership").daemon().unstarted(this::run);
        CompletableFuture<Connection> early = opening;
        Thread.ofVirtual().name("leadership-connect").start(() -> {
            try {
                early.complete(connect());
            } catch (SQLException | RuntimeException e) {
                early.completeExceptionally(e);
            }
        });
    }

    /** Not started yet: {@link #status} says it follows no one until {@link #start}. */
    public static Leadership of(DatabaseUrl url, String platform, String self, List<Duty> duties, Duration retry) {
        return new Leadership(url, platform, self, duties, retry);
    }

    /** {@code host:apiPort}: which controller leads, in a form that says where to reach it. */
    public static String controllerId(int apiPort) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "localhost";
        }
        return host + ":" + apiPort;
    }

    /**
     * Tries for the lead once now, so that a lone controller leads (its loops run) before this
     * returns, then keeps trying, or keeps checking that it still leads, every {@code retry}.
     */
    public synchronized void start() {
        step();
        thread.start();
    }

    /**
     * The other controllers connected to the database now, by id (their leadership sessions, leading
     * or following): start-up clean-up of work left by a stopped controller must not take a running
     * one's builds for left-overs.
     */
    public static List<String> otherControllers(Database db, String self) {
        return db.inTransaction(c -> {
            try (var st = c.prepareStatement("""
                    select substr(application_name, ?) from pg_stat_activity
                    where datname = current_database() and application_name like ? and application_name <> ?""")) {
                st.setInt(1, APPLICATION.length() + 1);
                st.setString(2, APPLICATION + "%");
                st.setString(3, APPLICATION + self);
                var rs = st.executeQuery();
                List<String> ids = new java.util.ArrayList<>();
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
                return ids;
            }
        });
    }

    public Status status() {
        String l = leader;
        return new Status(self, leads, Optional.ofNullable(leads ? self : l));
    }

    private void run() {
        while (!closed) {
            try {
                Thread.sleep(retry.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            step();
        }
    }

    /** One look: a leader checks its session is alive; a follower tries for the lock and notes who holds it. */
    private void step() {
        try {
            if (leads) {
                if (!session.isValid(CHECK_SECONDS)) {
                    throw new SQLException("no answer within " + CHECK_SECONDS + " s");
                }
                return;
            }
            if (session == null) {
                session = opening == null ? connect() : opened();
            }
            if (tryLock()) {
                lead();
            } else {
                follow(holder());
            }
        } catch (SQLException | RuntimeException e) {
            if (leads) {
                log.warn("leader: this controller ({}) lost its database session ({}); it stops leading", self, e.getMessage());
                stepDown();
            } else if (leader != null) {
                log.warn("leader: this controller ({}) cannot reach the database to follow the lead: {}", self, e.getMessage());
                leader = null;
            }
            closeSession(); // a new session next time; the lock, if PostgreSQL still holds it, goes with the old one
        }
    }

    /** The session opened early, once: any later one is opened when needed. */
    private Connection opened() throws SQLException {
        CompletableFuture<Connection> early = opening;
        opening = null;
        try {
            return early.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while connecting", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof SQLException sql ? sql : new SQLException(e.getCause().getMessage(), e.getCause());
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
        p.setProperty("ApplicationName", APPLICATION + self);
        p.setProperty("tcpKeepAlive", "true");
        p.setProperty("connectTimeout", "5");
        p.setProperty("socketTimeout", "10");
        Connection c = DriverManager.getConnection(url.jdbcUrl(), p);
        try (var st = c.createStatement()) {
            // The server's side: a leader whose machine died silently loses its session (and the lock)
            // within about 10 s, later than a leader that is alive but cut off steps down by itself.
            st.execute("set tcp_keepalives_idle = 5; set tcp_keepalives_interval = 2; set tcp_keepalives_count = 3");
            st.execute("set tcp_user_timeout = 10000"); // unacknowledged data: PostgreSQL 12 and later
        } catch (SQLException e) {
            log.debug("leader: keepalive settings not taken: {}", e.getMessage());
        }
        return c;
    }

    private boolean tryLock() throws SQLException {
        try (var st = session.prepareStatement("select pg_try_advisory_lock(?, ?)")) {
            st.setInt(1, LOCK_CLASS);
            st.setInt(2, platformKey);
            try (var rs = st.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** The id of the controller whose session holds the lock, if PostgreSQL shows it. */
    private Optional<String> holder() throws SQLException {
        try (var st = session.prepareStatement("""
                select a.application_name from pg_locks l join pg_stat_activity a on a.pid = l.pid
                where l.locktype = 'advisory' and l.granted and l.database = (select oid from pg_database where datname = current_database())
                  and l.classid = ?::bigint::oid and l.objid = ?::bigint::oid and l.objsubid = 2""")) {
            st.setInt(1, LOCK_CLASS);
            st.setInt(2, platformKey);
            try (var rs = st.executeQuery()) {
                if (!rs.next() || rs.getString(1) == null || !rs.getString(1).startsWith(APPLICATION)) {
                    return Optional.empty();
                }
                return Optional.of(rs.getString(1).substring(APPLICATION.length()));
            }
        }
    }

    private void lead() {
        leads = true;
        leader = self;
        log.info("leader: this controller ({}) leads reconciliation", self);
        for (Duty d : duties) {
            try {
                d.lead().run();
            } catch (RuntimeException e) {
                log.error("leader: {} did not start: {}", d.name(), e.getMessage(), e);
            }
        }
    }

    private void follow(Optional<String> holder) {
        String now = holder.orElse(null);
        if (now != null && !now.equals(leader)) {
            log.info("leader: this controller ({}) follows {}", self, now);
        }
        leader = now; // none between a leader's end and the next one's start
    }

    private void stepDown() {
        leads = false;
        leader = null;
        for (Duty d : duties.reversed()) {
            try {
                d.stepDown().run();
            } catch (RuntimeException e) {
                log.error("leader: {} did not stop: {}", d.name(), e.getMessage(), e);
            }
        }
    }

    private void closeSession() {
        if (session != null) {
            try {
                session.close();
            } catch (SQLException e) {
                // gone already
            }
            session = null;
        }
    }

    /** Steps down (its duties stop) and ends the session, which frees the lock for the next controller at once. */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(15));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (leads) {
            stepDown();
            log.info("leader: this controller ({}) stopped leading: it is shutting down", self);
        }
        if (opening != null) { // never started: the early session is not needed
            opening.thenAccept(c -> {
                try {
                    c.close();
                } catch (SQLException e) {
                    // gone already
                }
            });
        }
        closeSession();
    }
}
