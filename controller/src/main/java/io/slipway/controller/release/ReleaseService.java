package io.slipway.controller.release;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.slipway.api.Json;
import io.slipway.controller.app.App;
import io.slipway.controller.db.Database;
import io.slipway.controller.http.ApiException;
import io.slipway.controller.logs.LogSink;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Numbered releases (v1, v2, …) per app, and the one writer of their state: the newest live one
 * is the current one.
 */
public final class ReleaseService {
    private static final Logger log = LoggerFactory.getLogger(ReleaseService.class);
    private static final TypeReference<LinkedHashMap<String, String>> MAP = new TypeReference<>() {};
    private static final String SELECT = """
            select r.id, r.app_id, r.version, r.build_id, b.number as build_number, b.commit_sha, b.image,
                   r.config::text as config, r.process_types::text as process_types, r.description, r.status,
                   r.failure, r.created_by, r.created_at
            from releases r left join builds b on b.id = r.build_id
            """;

    private final Database db;
    private volatile LogSink events = LogSink.NULL;

    public ReleaseService(Database db) {
        this.db = db;
    }

    /** Where "Release v4 created by admin" goes: the app's log stream. */
    public void logTo(LogSink sink) {
        this.events = sink;
    }

    /**
     * Cuts the next release of {@code app} inside the caller's transaction. Every way of making a
     * release comes through here, so every release takes the same path: its release command when
     * the Procfile has one, then booting, then live (or failed). A release still in flight is
     * superseded by this one: only the newest goes on.
     */
    public Release create(Connection c, App app, UUID buildId, Map<String, String> config,
                          Map<String, String> processTypes, String description, String by) throws SQLException {
        return create(c, app, buildId, config, processTypes, description, by,
                ReleaseState.initial(processTypes.containsKey("release")));
    }

    /**
     * Moves a release on; false when it was no longer in {@code from} (someone else moved it first).
     * {@code failure} is kept with a move to {@link ReleaseState#FAILED} or {@link ReleaseState#SUPERSEDED}.
     */
    public boolean transition(App app, int version, ReleaseState from, ReleaseState to, String failure) {
        return db.inTransaction(c -> transition(c, app.id(), version, from, to, failure));
    }

    /** {@link #transition(App, int, ReleaseState, ReleaseState, String)} inside the caller's transaction. */
    public boolean transition(Connection c, UUID appId, int version, ReleaseState from, ReleaseState to, String failure)
            throws SQLException {
        if (!from.canMoveTo(to)) {
            throw new IllegalStateException("a release cannot move from " + from.value() + " to " + to.value());
        }
        try (var st = c.prepareStatement("""
                update releases set status = ?, failure = coalesce(?, failure), status_changed_at = now()
                where app_id = ? and version = ? and status = ?""")) {
            st.setString(1, to.value());
            st.setString(2, failure);
            st.setObject(3, appId);
            st.setInt(4, version);
            st.setString(5, from.value());
            boolean moved = st.executeUpdate() == 1;
            if (moved) {
                log.info("app_id={} release=v{} {} -> {}{}", appId, version, from.value(), to.value(),
                        failure == null ? "" : ": " + failure.lines().findFirst().orElse(""));
            }
            return moved;
        }
    }

    private Release create(Connection c, App app, UUID buildId, Map<String, String> config,
                           Map<String, String> processTypes, String description, String by, ReleaseState state)
            throws SQLException {
        try (var lock = c.prepareStatement("select 1 from apps where id = ? for update")) {
            lock.setObject(1, app.id());
            lock.executeQuery();
        }
        int version;
        try (var next = c.prepareStatement("select coalesce(max(version), 0) + 1 from releases where app_id = ?")) {
            next.setObject(1, app.id());
            var rs = next.executeQuery();
            rs.next();
            version = rs.getInt(1);
        }
        try (var older = c.prepareStatement("""
                update releases set status = 'superseded', failure = ?, status_changed_at = now()
                where app_id = ? and status in ('release_phase', 'booting')""")) {
            older.setString(1, "superseded by v" + version + " before it went live");
            older.setObject(2, app.id());
            older.executeUpdate();
        }
        UUID id;
        try (var st = c.prepareStatement("""
                insert into releases (app_id, version, build_id, config, process_types, description, status, created_by)
                values (?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?) returning id""")) {
            st.setObject(1, app.id());
            st.setInt(2, version);
            st.setObject(3, buildId);
            st.setString(4, json(config));
            st.setString(5, json(processTypes));
            st.setString(6, description);
            st.setString(7, state.value());
            st.setString(8, by);
            var rs = st.executeQuery();
            rs.next();
            id = rs.getObject(1, UUID.class);
        }
        log.info("app={} release=v{} created by {}: {}", app.name(), version, by, description);
        events.event(app.name().value(), "api", "Release v" + version + " created by " + by);
        return get(c, app, version).orElseThrow(() -> new IllegalStateException("release " + id + " vanished"));
    }

    /** Rollback: a new release with an earlier one's build, config and process types. */
    public Release rollback(App app, String version, String by) {
        return db.inTransaction(c -> {
            Release target;
            if (version == null) {
                Release current = current(c, app).orElseThrow(() -> ApiException.invalid(
                        "app '" + app.name() + "' has no release to roll back from"));
                target = previousSucceeded(c, app, current.version()).orElseThrow(() -> ApiException.invalid(
                        "app '" + app.name() + "' has no release before " + current.name() + " to roll back to"));
            } else {
                target = get(c, app, parseVersion(version)).orElseThrow(() -> ApiException.notFound(
                        "app '" + app.name() + "' has no release " + version + "; 'slipway releases' lists them"));
            }
            if (target.buildId() == null) {
                throw ApiException.invalid(target.name() + " has no build to roll back to");
            }
            events.event(app.name().value(), "api", "Rollback to " + target.name() + " by " + by);
            return create(c, app, target.buildId(), target.config(), target.processTypes(),
                    "Rollback to " + target.name(), by);
        });
    }

    /** The release as it is now (empty when it is gone with its app). */
    public Optional<Release> find(App app, int version) {
        return db.inTransaction(c -> get(c, app, version));
    }

    private static Optional<Release> previousSucceeded(Connection c, App app, int before) throws SQLException {
        try (var st = c.prepareStatement(SELECT
                + " where r.app_id = ? and r.status = 'live' and r.version < ? order by r.version desc limit 1")) {
            st.setObject(1, app.id());
            st.setInt(2, before);
            var rs = st.executeQuery();
            return rs.next() ? Optional.of(read(rs)) : Optional.empty();
        }
    }

    private static int parseVersion(String version) {
        try {
            return Integer.parseInt(version.startsWith("v") ? version.substring(1) : version);
        } catch (NumberFormatException e) {
            throw ApiException.invalid("'" + version + "' is not a release version; use the form v3");
        }
    }

    /**
     * A config change on an app that has a build cuts a release with the new vars from the newest
     * release that is live or on its way (a deploy still booting keeps its code, as on Heroku).
     */
    public Optional<Release> onConfigChange(Connection c, App app, Map<String, String> vars, String description, String by)
            throws SQLException {
        Optional<Release> base = newestNotFailed(c, app);
        if (base.isEmpty() || base.get().buildId() == null) {
            return Optional.empty();
        }
        return Optional.of(create(c, app, base.get().buildId(), vars, base.get().processTypes(), description, by));
    }

    /** The newest release that is live or on its way: what a scale or a config change applies to. */
    public Optional<Release> newestNotFailed(App app) {
        return db.inTransaction(c -> newestNotFailed(c, app));
    }

    private static Optional<Release> newestNotFailed(Connection c, App app) throws SQLException {
        try (var st = c.prepareStatement(SELECT
                + " where r.app_id = ? and r.status in ('release_phase', 'booting', 'live') order by r.version desc limit 1")) {
            st.setObject(1, app.id());
            var rs = st.executeQuery();
            return rs.next() ? Optional.of(read(rs)) : Optional.empty();
        }
    }

    public Optional<Release> current(App app) {
        return db.inTransaction(c -> current(c, app));
    }

    /** Every app's releases in {@code state}, oldest first (the release phase's work list). */
    public List<Release> inState(ReleaseState state) {
        return db.inTransaction(c -> {
            try (var st = c.prepareStatement(SELECT + " where r.status = ? order by r.created_at")) {
                st.setString(1, state.value());
                return readAll(st.executeQuery());
            }
        });
    }

    public List<Release> list(App app) {
        return db.inTransaction(c -> {
            try (var st = c.prepareStatement(SELECT + " where r.app_id = ? order by r.version desc")) {
                st.setObject(1, app.id());
                return readAll(st.executeQuery());
            }
        });
    }

    /** {@code v3}, {@code 3} or a release id. */
    public Release get(App app, String version) {
        int number = parseVersion(version);
        return db.inTransaction(c -> get(c, app, number)).orElseThrow(() -> ApiException.notFound(
                "app '" + app.name() + "' has no release v" + number + "; 'slipway releases' lists them"));
    }

    private static Optional<Release> current(Connection c, App app) throws SQLException {
        try (var st = c.prepareStatement(SELECT
                + " where r.app_id = ? and r.status = 'live' order by r.version desc limit 1")) {
            st.setObject(1, app.id());
            var rs = st.executeQuery();
            return rs.next() ? Optional.of(read(rs)) : Optional.empty();
        }
    }

    private static Optional<Release> get(Connection c, App app, int version) throws SQLException {
        try (var st = c.prepareStatement(SELECT + " where r.app_id = ? and r.version = ?")) {
            st.setObject(1, app.id());
            st.setInt(2, version);
            var rs = st.executeQuery();
            return rs.next() ? Optional.of(read(rs)) : Optional.empty();
        }
    }

    private static List<Release> readAll(ResultSet rs) throws SQLException {
        List<Release> releases = new ArrayList<>();
        while (rs.next()) {
            releases.add(read(rs));
        }
        return releases;
    }

    private static Release read(ResultSet rs) throws SQLException {
        return new Release(rs.getObject("id", UUID.class), rs.getObject("app_id", UUID.class), rs.getInt("version"),
                rs.getObject("build_id", UUID.class), rs.getObject("build_number", Integer.class), rs.getString("commit_sha"),
                rs.getString("image"), map(rs.getString("config")), map(rs.getString("process_types")),
                rs.getString("description"), ReleaseState.of(rs.getString("status")), rs.getString("failure"),
                rs.getString("created_by"),
                rs.getTimestamp("created_at").toInstant());
    }

    public static Map<String, String> map(String json) {
        try {
            return json == null ? Map.of() : Json.mapper().readValue(json, MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is corrupt: " + e.getMessage(), e);
        }
    }

    static String json(Map<String, String> map) {
        try {
            return Json.mapper().writeValueAsString(map);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
