package io.slipway.controller.build;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.slipway.api.Json;
import io.slipway.controller.app.App;
import io.slipway.controller.db.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The record of builds: started, then succeeded or failed, with their output kept for later reading. */
public final class BuildService {
    private static final Logger log = LoggerFactory.getLogger(BuildService.class);
    /** Stored output is capped: the tail of a runaway build log is what matters. */
    static final int MAX_OUTPUT_CHARS = 256 * 1024;

    private final Database db;
    private final String controller;

    /** {@code controller}: this controller's id, recorded on the builds it runs. */
    public BuildService(Database db, String controller) {
        this.db = db;
        this.controller = controller;
    }

    /** A lone controller's builds (tests). */
    public BuildService(Database db) {
        this(db, null);
    }

    public Build start(App app, String commit, String by) {
        return db.inTransaction(c -> {
            try (var lock = c.prepareStatement("select 1 from apps where id = ? for update")) {
                lock.setObject(1, app.id());
                lock.executeQuery();
            }
            try (var st = c.prepareStatement("""
                    insert into builds (app_id, number, status, commit_sha, created_by, controller)
                    values (?, (select coalesce(max(number), 0) + 1 from builds where app_id = ?), 'building', ?, ?, ?)
                    returning *""")) {
                st.setObject(1, app.id());
                st.setObject(2, app.id());
                st.setString(3, commit);
                st.setString(4, by);
                st.setString(5, controller);
                var rs = st.executeQuery();
                rs.next();
                return read(rs);
            }
        });
    }

    public void succeeded(Build build, Builder.Result result, Map<String, String> processTypes, String output) {
        finish(build, "succeeded", result.image(), result.buildpack(), processTypes, null, output);
    }

    public void failed(Build build, String reason, String output) {
        finish(build, "failed", null, null, null, reason, output);
    }

    /**
     * Builds left 'building' by a controller that is gone are failed, with the reason said: those
     * of a controller not among {@code running} (the controllers with a session on the database now,
     * which never includes an earlier life of this one). A build from before controllers were
     * recorded counts as gone too.
     */
    public int failInterrupted(Collection<String> running) {
        int n = db.inTransaction(c -> {
            try (var st = c.prepareStatement("""
                    update builds set status = 'failed', finished_at = now(),
                           failure = 'the controller ' || coalesce(controller || ' ', '') || 'stopped during this build; push again'
                    where status = 'building' and coalesce(controller, '') <> all(?)""")) {
                st.setArray(1, c.createArrayOf("text", running.toArray()));
                return st.executeUpdate();
            }
        });
        if (n > 0) {
            log.warn("marked {} interrupted build(s) as failed: their controller stopped", n);
        }
        return n;
    }

    public List<Build> list(App app) {
        return db.inTransaction(c -> {
            try (var st = c.prepareStatement("select * from builds where app_id = ? order by number desc")) {
                st.setObject(1, app.id());
                var rs = st.executeQuery();
                List<Build> builds = new ArrayList<>();
                while (rs.next()) {
                    builds.add(read(rs));
                }
                return builds;
            }
        });
    }

    private void finish(Build build, String status, String image, String buildpack, Map<String, String> types,
                        String failure, String output) {
        String stored = output.length() > MAX_OUTPUT_CHARS ? output.substring(output.length() - MAX_OUTPUT_CHARS) : output;
        db.inTransaction(c -> {
            try (var st = c.prepareStatement("""
                    update builds set status = ?, image = ?, buildpack = ?, process_types = ?::jsonb, failure = ?,
                           output = ?, finished_at = now()
                    where id = ?""")) {
                st.setString(1, status);
                st.setString(2, image);
                st.setString(3, buildpack);
                st.setString(4, types == null ? null : json(types));
                st.setString(5, failure);
                st.setString(6, stored);
                st.setObject(7, build.id());
                return st.executeUpdate();
            }
        });
    }

    private static Build read(ResultSet rs) throws SQLException {
        var finished = rs.getTimestamp("finished_at");
        return new Build(rs.getObject("id", UUID.class), rs.getObject("app_id", UUID.class), rs.getInt("number"),
                rs.getString("status"), rs.getString("commit_sha"), rs.getString("buildpack"), rs.getString("image"),
                map(rs.getString("process_types")), rs.getString("failure"), rs.getString("created_by"),
                rs.getTimestamp("created_at").toInstant(), finished == null ? null : finished.toInstant());
    }

    private static Map<String, String> map(String json) {
        try {
            return json == null ? Map.of() : Json.mapper().readValue(json, new TypeReference<LinkedHashMap<String, String>>() {});
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String json(Map<String, String> map) {
        try {
            return Json.mapper().writeValueAsString(map);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
