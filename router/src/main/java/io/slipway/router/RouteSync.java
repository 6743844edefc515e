package io.slipway.router;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Properties;
import java.util.Set;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the {@link RouteTable} in step with the database, on a thread of its own: a full load on
 * every (re)connect, the named app's routes reloaded on each {@code NOTIFY slipway_routes}, and a
 * full load every {@link #FULL_RELOAD} as a safety net. When the database is unreachable the
 * router keeps serving the routes it last read and retries in the background; it never exits for it.
 */
final class RouteSync implements AutoCloseable {
    static final String CHANNEL = "slipway_routes";
    static final Duration FULL_RELOAD = Duration.ofSeconds(30);
    private static final int POLL_MILLIS = 500;
    private static final Duration RETRY_MIN = Duration.ofMillis(500);
    private static final Duration RETRY_MAX = Duration.ofSeconds(5);
    private static final Duration STILL_DOWN_EVERY = Duration.ofSeconds(30);

    private static final Logger log = LoggerFactory.getLogger(RouteSync.class);

    private final RouteDatabase database;
    private final RouteTable table;
    private final Runnable onChange;
    /** The certificates, read on the same connection and heard on {@link CertQueries#CHANNEL}; null without TLS. */
    private final CertQueries certs;
    /** The ACME HTTP-01 answers, heard on {@link AcmeChallenges#CHANNEL}. */
    private final AcmeChallenges challenges;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean connected;
    private volatile Connection connection;

    RouteSync(RouteDatabase database, RouteTable table, Runnable onChange, CertQueries certs, AcmeChallenges challenges) {
        this.database = database;
        this.challenges = challenges;
        this.table = table;
        this.onChange = onChange;
        this.certs = certs;
        this.thread = new Thread(this::run, "route-sync");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Whether the LISTEN connection is up right now (for /metrics). */
    boolean connected() {
        return connected;
    }

    private void run() {
        Duration retry = RETRY_MIN;
        long downSince = 0;
        long lastDownLog = 0;
        while (running) {
            try (Connection c = connect()) {
                connection = c;
                try (Statement st = c.createStatement()) {
                    st.execute("listen " + CHANNEL);
                    st.execute("listen " + AcmeChallenges.CHANNEL);
                    if (certs != null) {
                        st.execute("listen " + CertQueries.CHANNEL);
                    }
                }
                if (certs != null) {
                    certs.loadAll(c);
                }
                challenges.loadAll(c);
                long started = System.nanoTime();
                RouteQueries.Loaded all = RouteQueries.all(c);
                table.replaceAll(all.apps(), all.hosts());
                onChange.run();
                connected = true;
                log.info("routes: {} {}; loaded {} apps, {} routable dynos, {} custom domains in {} ms; listening on {}",
                        downSince == 0 ? "connected to" : "reconnected to", database.describe(), all.apps().size(), all.dynos(),
                        all.hosts().size(), (System.nanoTime() - started) / 1_000_000, CHANNEL);
                downSince = 0;
                retry = RETRY_MIN;
                listen(c);
            } catch (SQLException | IOException | RuntimeException e) {
                connected = false;
                if (!running) {
                    break;
                }
                long now = System.nanoTime();
                String serving = table.loaded()
                        ? "serving the last routes read (" + table.apps().size() + " apps)"
                        : "no routes yet: apps get 503 routes_unavailable";
                if (downSince == 0) {
                    downSince = now;
                    lastDownLog = now;
                    log.warn("routes: database unavailable ({}): {}; {}; retrying in the background",
                            database.describe(), describe(e), serving);
                } else if (now - lastDownLog >= STILL_DOWN_EVERY.toNanos()) {
                    lastDownLog = now;
                    log.warn("routes: database still unavailable after {} s ({}): {}; {}",
                            (now - downSince) / 1_000_000_000L, database.describe(), describe(e), serving);
                }
            } finally {
                connection = null;
            }
            sleep(retry);
            retry = retry.multipliedBy(2).compareTo(RETRY_MAX) > 0 ? RETRY_MAX : retry.multipliedBy(2);
        }
    }

    /** Waits for notifications and applies them until the connection fails or the router stops. */
    private void listen(Connection c) throws SQLException {
        PGConnection pg = c.unwrap(PGConnection.class);
        long lastFull = System.nanoTime();
        while (running) {
            PGNotification[] notes = pg.getNotifications(POLL_MILLIS);
            if (notes != null && notes.length > 0) {
                Set<String> apps = new LinkedHashSet<>();
                boolean everything = false;
                boolean routes = false;
                boolean certificates = false;
                boolean acme = false;
                for (PGNotification n : notes) {
                    if (n.getName().equals(AcmeChallenges.CHANNEL)) {
                        acme = true;
                        continue;
                    }
                    if (n.getName().equals(CertQueries.CHANNEL)) {
                        certificates = true;
                        continue;
                    }
                    routes = true;
                    String app = n.getParameter();
                    if (app == null || app.isBlank()) {
                        everything = true; // e.g. a deleted app: its name could no longer be looked up
                    } else {
                        apps.add(app);
                    }
                }
                if (certificates && certs != null) {
                    long started = System.nanoTime();
                    certs.loadAll(c); // few rows: all of them, as the database has them now
                    log.info("tls: certificates reloaded in {} ms", (System.nanoTime() - started) / 1_000_000);
                }
                if (acme) {
                    challenges.loadAll(c);
                }
                if (!routes) {
                    continue;
                }
                if (everything) {
                    RouteQueries.Loaded all = RouteQueries.all(c);
                    table.replaceAll(all.apps(), all.hosts());
                    lastFull = System.nanoTime();
                } else {
                    for (String app : apps) {
                        RouteQueries.Loaded one = RouteQueries.app(c, app);
                        AppRoute route = one.apps().get(app);
                        table.replaceApp(app, route, RouteQueries.hostsOf(one, app));
                        log.debug("routes: reloaded {}", route != null ? route : "app=" + app + " (gone)");
                    }
                }
                onChange.run();
            }
            if (System.nanoTime() - lastFull >= FULL_RELOAD.toNanos()) {
                if (certs != null) {
                    certs.loadAll(c);
                }
                challenges.loadAll(c);
                RouteQueries.Loaded all = RouteQueries.all(c);
                table.replaceAll(all.apps(), all.hosts());
                onChange.run();
                lastFull = System.nanoTime();
            }
        }
    }

    private Connection connect() throws SQLException, IOException {
        RouteDatabase.Target target = database.resolve();
        Properties p = new Properties();
        if (target.user() != null) {
            p.setProperty("user", target.user());
        }
        if (target.password() != null) {
            p.setProperty("password", target.password());
        }
        p.setProperty("connectTimeout", "5");
        p.setProperty("socketTimeout", "20");
        p.setProperty("tcpKeepAlive", "true");
        p.setProperty("ApplicationName", "slipway-router");
        return DriverManager.getConnection(target.url(), p);
    }

    private static String describe(Exception e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }

    private void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        Connection c = connection;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // stopping anyway
            }
        }
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
