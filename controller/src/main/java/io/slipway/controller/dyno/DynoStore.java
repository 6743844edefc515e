package io.slipway.controller.dyno;

import io.slipway.controller.db.Database;
import io.slipway.controller.release.ReleaseService;
import io.slipway.controller.release.ReleaseState;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The dyno manager's view of the database: what each app wants (target release, live release,
 * formation) and the dyno rows it keeps in step with the containers, which the API and the router read.
 */
public final class DynoStore {
    private final Database db;
    private final ReleaseService releases;

    public DynoStore(Database db, ReleaseService releases) {
        this.db = db;
        this.releases = releases;
    }

    /** A release as the manager needs it. */
    public record ReleaseRef(int version, String image, String commit, Map<String, String> config,
                      Map<String, String> processTypes, ReleaseState state, Instant createdAt) {}

    /**
     * One app's wishes: the newest release booting or live (target) and the newest that went live,
     * and when restarts were last asked for, by selector ({@code ""} for every dyno, {@code web},
     * {@code web.2}): a dyno whose container started before that is due a fresh one.
     */
    public record Desired(UUID appId, String app, ReleaseRef target, ReleaseRef live, Map<String, Integer> formation,
                   Map<String, String> sizes, Map<String, Instant> restartRequests) {
        /** The latest restart asked for that covers this dyno, or null. */
        public Instant restartRequestedFor(String type, int index) {
            Instant latest = null;
            for (String selector : List.of("", type, type + "." + index)) {
                Instant at = restartRequests.get(selector);
                if (at != null && (latest == null || at.isAfter(latest))) {
                    latest = at;
                }
            }
            return latest;
        }
    }

    /**
     * A dyno row. {@code node} and {@code host} are where a Swarm task runs and the address its port
     * is reached at; both null for a dyno of the single engine, reached at 127.0.0.1:{@code port}.
     */
    public record Row(String containerName, String type, int index, int release, String containerId, Integer port,
               DynoState state, boolean routable, int restarts, Instant restartAt, Instant startedAt, String node,
               String host) {
        /** A dyno of the single engine. */
        public Row(String containerName, String type, int index, int release, String containerId, Integer port,
                   DynoState state, boolean routable, int restarts, Instant restartAt, Instant startedAt) {
            this(containerName, type, index, release, containerId, port, state, routable, restarts, restartAt, startedAt,
                    null, null);
        }

        public Row withRoutable(boolean routable) {
            return new Row(containerName, type, index, release, containerId, port, state, routable, restarts, restartAt,
                    startedAt, node, host);
        }

        /** {@code web.1}, as people write it. */
        public String dynoName() {
            return type + "." + index;
        }
    }

    /** A move of a release that must land together with the dyno rows it depends on. */
    public record ReleaseMove(int version, ReleaseState from, ReleaseState to, String failure) {}

    public List<Desired> desired() {
        return db.inTransaction(c -> {
            Map<UUID, ReleaseRef> targets = new HashMap<>();
            Map<UUID, ReleaseRef> lives = new HashMap<>();
            Map<UUID, String> names = new LinkedHashMap<>();
            try (var st = c.createStatement(); var rs = st.executeQuery("""
                    select a.id, a.name, r.version, b.image, b.commit_sha, r.config::text, r.process_types::text,
                           r.status, r.created_at
                    from apps a join releases r on r.app_id = a.id join builds b on b.id = r.build_id
                    where r.status in ('booting', 'live')
                    order by a.name, r.version desc""")) {
                while (rs.next()) {
                    UUID id = rs.getObject(1, UUID.class);
                    names.put(id, rs.getString(2));
                    ReleaseRef ref = release(rs);
                    targets.putIfAbsent(id, ref);
                    if (ref.state() == ReleaseState.LIVE) {
                        lives.putIfAbsent(id, ref);
                    }
                }
            }
            Map<UUID, Map<String, Integer>> formation = new HashMap<>();
            Map<UUID, Map<String, String>> sizes = new HashMap<>();
            try (var st = c.createStatement(); var rs = st.executeQuery("select app_id, type, quantity, size from formation")) {
                while (rs.next()) {
                    UUID id = rs.getObject(1, UUID.class);
                    formation.computeIfAbsent(id, k -> new HashMap<>()).put(rs.getString(2), rs.getInt(3));
                    sizes.computeIfAbsent(id, k -> new HashMap<>()).put(rs.getString(2), rs.getString(4));
                }
            }
            Map<UUID, Map<String, Instant>> restarts = new HashMap<>();
            try (var st = c.createStatement();
                 var rs = st.executeQuery("select app_id, selector, requested_at from dyno_restarts")) {
                while (rs.next()) {
                    restarts.computeIfAbsent(rs.getObject(1, UUID.class), k -> new HashMap<>())
                            .put(rs.getString(2), rs.getTimestamp(3).toInstant());
                }
            }
            List<Desired> out = new ArrayList<>();
            names.forEach((id, name) -> out.add(new Desired(id, name, targets.get(id), lives.get(id),
                    formation.getOrDefault(id, Map.of()), sizes.getOrDefault(id, Map.of()),
                    restarts.getOrDefault(id, Map.of()))));
            return out;
        });
    }

    /** The app's dynos as last reconciled, by type, index and release. */
    public List<Row> sorted(UUID appId) {
        return rows(appId).values().stream()
                .sorted(java.util.Comparator.comparing(Row::type).thenComparing(Row::index).thenComparing(Row::release))
                .toList();
    }

    /**
     * Records a restart of the app's dynos matching {@code selector} (all when null, a type like
     * {@code web}, or a dyno like {@code web.1}) and says so in the app's log. Returns the dynos it
     * covers; none (and nothing recorded) when nothing matched.
     */
    public Dynos.RestartRequest requestRestart(UUID appId, String app, String selector, String what, Instant at,
                                               io.slipway.controller.logs.LogSink events) {
        List<Row> rows = rows(appId).values().stream()
                .filter(r -> r.containerId() != null)
                .filter(r -> selector == null || selector.equals(r.type()) || selector.equals(r.dynoName()))
                .toList();
        if (rows.isEmpty()) {
            return new Dynos.RestartRequest(List.of(), 0);
        }
        requestRestart(appId, selector == null ? "" : selector, at);
        java.util.Set<String> names = new java.util.TreeSet<>();
        rows.forEach(r -> names.add(r.dynoName()));
        for (String name : names) {
            events.event(app, name, what.substring(0, 1).toUpperCase(java.util.Locale.ROOT) + what.substring(1)
                    + " on request");
        }
        return new Dynos.RestartRequest(List.copyOf(names), (int) names.stream().filter(n -> n.startsWith("web.")).count());
    }

    /**
     * Records that the dynos matching {@code selector} ({@code ""} for all) should be restarted:
     * the dyno manager replaces each whose container started before {@code at}. Kept in the
     * database, so a controller killed in the middle of a rolling restart finishes it.
     */
    private void requestRestart(UUID appId, String selector, Instant at) {
        db.inTransaction(c -> {
            try (var st = c.prepareStatement("""
                    insert into dyno_restarts (app_id, selector, requested_at) values (?, ?, ?)
                    on conflict (app_id, selector) do update set requested_at = excluded.requested_at""")) {
                st.setObject(1, appId);
                st.setString(2, selector);
                st.setTimestamp(3, Timestamp.from(at));
                return st.executeUpdate();
            }
        });
    }

    /** Drops an app's rows: it wants no dynos now (its first deploy failed), and its containers are being stopped. */
    public void forget(String app) {
        db.inTransaction(c -> {
            try (var st = c.prepareStatement("delete from dynos where app_id = (select id from apps where name = ?)")) {
                st.setString(1, app);
                return st.executeUpdate();
            }
        });
    }

    public Map<String, Row> rows(UUID appId) {
        return db.inTransaction(c -> {
            Map<String, Row> rows = new HashMap<>();
            try (var st = c.prepareStatement("select * from dynos where app_id = ?")) {
                st.setObject(1, appId);
                var rs = st.executeQuery();
                while (rs.next()) {
                    Row r = new Row(rs.getString("container_name"), rs.getString("type"), rs.getInt("index"),
                            rs.getInt("release_version"), rs.getString("container_id"), (Integer) rs.getObject("port"),
                            DynoState.of(rs.getString("state")), rs.getBoolean("routable"), rs.getInt("restarts"),
                            instant(rs.getTimestamp("restart_at")), instant(rs.getTimestamp("started_at")),
                            rs.getString("node"), rs.getString("host"));
                    rows.put(r.containerName(), r);
                }
            }
            return rows;
        });
    }

    /**
     * Writes the rows that changed and deletes the ones whose containers are gone, and moves the
     * release, in one transaction: a release is live exactly when its dynos are routable, so a
     * controller killed in the middle of a cut-over finds either the old routes or the new ones.
     */
    public void save(UUID appId, Map<String, Row> before, Map<String, Row> after, Optional<ReleaseMove> move) {
        if (before.equals(after) && move.isEmpty()) {
            return;
        }
        db.inTransaction(c -> {
            if (move.isPresent()) {
                ReleaseMove m = move.get();
                releases.transition(c, appId, m.version(), m.from(), m.to(), m.failure());
            }
            try (var del = c.prepareStatement("delete from dynos where container_name = ?");
                 var up = c.prepareStatement("""
                         insert into dynos (app_id, type, index, release_version, container_id, container_name, port,
                                            state, routable, restarts, restart_at, started_at, node, host, updated_at)
                         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now())
                         on conflict (container_name) do update set container_id = excluded.container_id,
                             port = excluded.port, state = excluded.state, routable = excluded.routable,
                             restarts = excluded.restarts, restart_at = excluded.restart_at,
                             started_at = excluded.started_at, node = excluded.node, host = excluded.host,
                             updated_at = now()""")) {
                for (String name : before.keySet()) {
                    if (!after.containsKey(name)) {
                        del.setString(1, name);
                        del.addBatch();
                    }
                }
                for (Row r : after.values()) {
                    if (r.equals(before.get(r.containerName()))) {
                        continue;
                    }
                    up.setObject(1, appId);
                    up.setString(2, r.type());
                    up.setInt(3, r.index());
                    up.setInt(4, r.release());
                    up.setString(5, r.containerId());
                    up.setString(6, r.containerName());
                    up.setObject(7, r.port());
                    up.setString(8, r.state().value());
                    up.setBoolean(9, r.routable());
                    up.setInt(10, r.restarts());
                    up.setTimestamp(11, r.restartAt() == null ? null : Timestamp.from(r.restartAt()));
                    up.setTimestamp(12, Timestamp.from(r.startedAt() == null ? Instant.now() : r.startedAt()));
                    up.setString(13, r.node());
                    up.setString(14, r.host());
                    up.addBatch();
                }
                del.executeBatch();
                up.executeBatch();
            }
            return null;
        });
    }

    private static ReleaseRef release(ResultSet rs) throws SQLException {
        return new ReleaseRef(rs.getInt(3), rs.getString(4), rs.getString(5),
                io.slipway.controller.release.ReleaseService.map(rs.getString(6)),
                io.slipway.controller.release.ReleaseService.map(rs.getString(7)), ReleaseState.of(rs.getString(8)),
                rs.getTimestamp(9).toInstant());
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
