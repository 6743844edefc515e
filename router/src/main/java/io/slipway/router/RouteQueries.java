package io.slipway.router;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads routes from the controller's views ({@code router_backends}, {@code router_hosts},
 * {@code router_app_states}) and dyno states from {@code dynos}: for every app, or for one.
 * Each read is one read-only snapshot, so an app's dynos and states agree.
 */
final class RouteQueries {
    private static final String BACKENDS = "select app, dyno, type, index, host, port from router_backends";
    private static final String HOSTS = "select hostname, app from router_hosts";
    private static final String STATES = "select app, web_dynos, crashed_web_dynos from router_app_states";
    private static final String DYNO_STATES = "select a.name as app, d.state, count(*) as n from dynos d join apps a on a.id = d.app_id";

    /** Everything read for a set of apps. */
    record Loaded(Map<String, AppRoute> apps, Map<String, String> hosts) {
        int dynos() {
            return apps.values().stream().mapToInt(r -> r.backends().size()).sum();
        }
    }

    private RouteQueries() {}

    static Loaded all(Connection c) throws SQLException {
        return inSnapshot(c, () -> read(c, null));
    }

    /** One app; an app that no longer exists comes back absent from {@link Loaded#apps()}. */
    static Loaded app(Connection c, String app) throws SQLException {
        return inSnapshot(c, () -> read(c, app));
    }

    private interface Read {
        Loaded run() throws SQLException;
    }

    private static Loaded inSnapshot(Connection c, Read read) throws SQLException {
        c.setAutoCommit(false);
        try {
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            Loaded loaded = read.run();
            c.commit();
            return loaded;
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException ignored) {
                // the connection is likely gone; the caller reconnects
            }
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    private static Loaded read(Connection c, String only) throws SQLException {
        Map<String, List<Backend>> backends = new HashMap<>();
        try (PreparedStatement st = c.prepareStatement(BACKENDS + where(only, "app") + " order by app, index, dyno")) {
            bind(st, only);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    String app = rs.getString("app");
                    backends.computeIfAbsent(app, a -> new ArrayList<>())
                            .add(new Backend(app, rs.getString("dyno"), rs.getString("type") + "." + rs.getInt("index"),
                                    rs.getString("host"), rs.getInt("port")));
                }
            }
        }
        Map<String, Map<String, Integer>> states = new HashMap<>();
        try (PreparedStatement st = c.prepareStatement(DYNO_STATES + where(only, "a.name") + " group by a.name, d.state")) {
            bind(st, only);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    states.computeIfAbsent(rs.getString("app"), a -> new TreeMap<>()).put(rs.getString("state"), rs.getInt("n"));
                }
            }
        }
        Map<String, AppRoute> apps = new HashMap<>();
        try (PreparedStatement st = c.prepareStatement(STATES + where(only, "app"))) {
            bind(st, only);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    String app = rs.getString("app");
                    apps.put(app, new AppRoute(app, backends.getOrDefault(app, List.of()), rs.getInt("web_dynos"),
                            rs.getInt("crashed_web_dynos"), states.getOrDefault(app, Map.of())));
                }
            }
        }
        Map<String, String> hosts = new HashMap<>();
        try (PreparedStatement st = c.prepareStatement(HOSTS + where(only, "app"))) {
            bind(st, only);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    hosts.put(rs.getString("hostname").toLowerCase(java.util.Locale.ROOT), rs.getString("app"));
                }
            }
        }
        return new Loaded(apps, hosts);
    }

    static Set<String> hostsOf(Loaded loaded, String app) {
        Set<String> names = new HashSet<>();
        loaded.hosts().forEach((h, a) -> {
            if (a.equals(app)) {
                names.add(h);
            }
        });
        return names;
    }

    private static String where(String only, String column) {
        return only == null ? "" : " where " + column + " = ?";
    }

    private static void bind(PreparedStatement st, String only) throws SQLException {
        if (only != null) {
            st.setString(1, only);
        }
    }
}
