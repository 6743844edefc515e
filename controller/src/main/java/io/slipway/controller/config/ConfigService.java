package io.slipway.controller.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.slipway.api.Json;
import io.slipway.controller.app.App;
import io.slipway.controller.db.Database;
import io.slipway.controller.http.ApiException;
import io.slipway.controller.logs.LogSink;
import io.slipway.controller.release.Release;
import io.slipway.controller.release.ReleaseService;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An app's config vars (factor III). A change is validated whole before anything is written, applied
 * in one transaction, and recorded with the full set after it, so each change can cut a release.
 */
public final class ConfigService {
    private static final Logger log = LoggerFactory.getLogger(ConfigService.class);
    /** Largest single value, in UTF-8 bytes: environments are not a file store. */
    public static final int MAX_VALUE_BYTES = 32 * 1024;

    private final Database db;
    private final ReleaseService releases;
    private volatile Runnable afterChange = () -> { };
    private volatile LogSink events = LogSink.NULL;

    public ConfigService(Database db, ReleaseService releases) {
        this.db = db;
        this.releases = releases;
    }

    /** Where "Set GREETING config vars by admin" goes: the app's log stream. */
    public void logTo(LogSink sink) {
        this.events = sink;
    }

    /** Called after a change that cut a release commits (the dyno manager rolls it out). */
    public void afterChange(Runnable hook) {
        this.afterChange = hook;
    }

    public SortedMap<String, String> get(App app) {
        return db.inTransaction(c -> read(c, app));
    }

    /**
     * Applies a Heroku-style patch: a string sets, {@code null} unsets. Returns the vars after it.
     * An invalid key or value rejects the whole patch and changes nothing.
     */
    public SortedMap<String, String> patch(App app, Map<String, String> patch, String by) {
        return change(app, patch, by, (c, before) -> { }).vars();
    }

    /** What a change left: the vars after it and the release it cut (none before the app's first build). */
    public record Change(SortedMap<String, String> vars, Optional<Release> release) {}

    /**
     * Work that must hold, or be done, in the same transaction as a change, with the app locked and
     * its vars as they were before (an add-on refuses a var that is already set, and records its
     * attachment). An exception from it rejects the whole change.
     */
    @FunctionalInterface
    public interface Guard {
        void check(Connection c, SortedMap<String, String> before) throws SQLException;
    }

    /** As {@link #patch}, with a {@link Guard} run first, answering which release the change cut. */
    public Change change(App app, Map<String, String> patch, String by, Guard guard) {
        patch.forEach((key, value) -> {
            new ConfigKey(key);
            if (value != null) {
                validateValue(key, value);
            }
        });
        Change result = db.inTransaction(c -> {
            lockApp(c, app);
            SortedMap<String, String> before = read(c, app);
            guard.check(c, before);
            SortedMap<String, String> after = new TreeMap<>(before);
            List<String> set = new ArrayList<>();
            List<String> unset = new ArrayList<>();
            for (var e : new TreeMap<>(patch).entrySet()) {
                if (e.getValue() == null) {
                    if (after.remove(e.getKey()) != null) {
                        unset.add(e.getKey());
                    }
                } else if (!Objects.equals(after.put(e.getKey(), e.getValue()), e.getValue())) {
                    set.add(e.getKey());
                }
            }
            if (set.isEmpty() && unset.isEmpty()) {
                return new Change(after, Optional.empty());
            }
            write(c, app, set, unset, after);
            String description = describe(set, unset);
            record(c, app, description, after, by);
            log.info("app={} {} by {}", app.name(), description, by);
            events.event(app.name().value(), "api", description + " by " + by);
            return new Change(after, releases.onConfigChange(c, app, after, description, by));
        });
        afterChange.run();
        return result;
    }

    static void validateValue(String key, String value) {
        if (value.indexOf('\0') >= 0) {
            throw ApiException.invalid("config var '" + key + "' contains a NUL character, which no environment can hold");
        }
        int bytes = value.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_VALUE_BYTES) {
            throw ApiException.invalid("config var '" + key + "' is " + bytes + " bytes; values are limited to "
                    + MAX_VALUE_BYTES / 1024 + " KiB (keep large files in the repo or a backing service)");
        }
    }

    /** "Set A, B config vars", "Unset C config vars", or both: the text a release will carry. */
    static String describe(List<String> set, List<String> unset) {
        List<String> parts = new ArrayList<>();
        if (!set.isEmpty()) {
            parts.add("Set " + String.join(", ", set));
        }
        if (!unset.isEmpty()) {
            parts.add((parts.isEmpty() ? "Unset " : "unset ") + String.join(", ", unset));
        }
        return String.join(" and ", parts) + " config vars";
    }

    private static SortedMap<String, String> read(Connection c, App app) throws SQLException {
        try (var st = c.prepareStatement("select key, value from config_vars where app_id = ?")) {
            st.setObject(1, app.id());
            var rs = st.executeQuery();
            SortedMap<String, String> vars = new TreeMap<>();
            while (rs.next()) {
                vars.put(rs.getString(1), rs.getString(2));
            }
            return vars;
        }
    }

    /** Serialises concurrent changes to one app, and fails cleanly if it was destroyed meanwhile. */
    private static void lockApp(Connection c, App app) throws SQLException {
        try (var st = c.prepareStatement("select 1 from apps where id = ? for update")) {
            st.setObject(1, app.id());
            if (!st.executeQuery().next()) {
                throw ApiException.notFound("app '" + app.name() + "' does not exist");
            }
        }
    }

    private static void write(Connection c, App app, List<String> set, List<String> unset,
                              Map<String, String> after) throws SQLException {
        try (var up = c.prepareStatement("""
                insert into config_vars (app_id, key, value) values (?, ?, ?)
                on conflict (app_id, key) do update set value = excluded.value""");
             var del = c.prepareStatement("delete from config_vars where app_id = ? and key = ?");
             var touch = c.prepareStatement("update apps set updated_at = now() where id = ?")) {
            for (String key : set) {
                up.setObject(1, app.id());
                up.setString(2, key);
                up.setString(3, after.get(key));
                up.addBatch();
            }
            for (String key : unset) {
                del.setObject(1, app.id());
                del.setString(2, key);
                del.addBatch();
            }
            up.executeBatch();
            del.executeBatch();
            touch.setObject(1, app.id());
            touch.executeUpdate();
        }
    }

    private static void record(Connection c, App app, String description, Map<String, String> after, String by)
            throws SQLException {
        try (var st = c.prepareStatement(
                "insert into config_changes (app_id, description, vars, created_by) values (?, ?, ?::jsonb, ?)")) {
            st.setObject(1, app.id());
            st.setString(2, description);
            st.setString(3, toJson(after));
            st.setString(4, by);
            st.executeUpdate();
        }
    }

    private static String toJson(Map<String, String> vars) {
        try {
            return Json.mapper().writeValueAsString(vars);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
