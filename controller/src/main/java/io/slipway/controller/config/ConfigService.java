package io.slipway.controller.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.slipway.api.Json;
import io.slipway.controller.app.App;
import io.slipway.controller.db.Database;
import io.slipway.controller.http.ApiException;
import io.slipway.controller.http.StorableText;
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
    /** Largest single value, in UTF-8 bytes: environments are not a file store (Linux refuses one string over 128 KiB). */
    public static final int MAX_VALUE_BYTES = 32 * 1024;
    /**
     * Largest whole config, as the environment it becomes ({@code KEY=value} and a NUL each). Linux
     * lets a process start with about 2 MiB of arguments and environment (a quarter of the 8 MiB
     * stack: a container with 2,048 KiB of vars starts, one with 2,080 KiB fails with "argument list
     * too long"); an eighth of that leaves room for the command, the buildpack's own variables and
     * the processes the dyno starts in turn.
     */
    public static final int MAX_TOTAL_BYTES = 256 * 1024;

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
            if (environmentBytes(after) > environmentBytes(before)) { // a change that shrinks an oversized config is let through
                requireTotalWithinLimit("the config vars of " + app.name() + " would", after);
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

    /**
     * The rules of {@code config:set} for vars that are not stored, such as a one-off dyno's extra
     * {@code env}: valid names, storable values within the limits, nothing changed when one fails.
     */
    public static void validate(Map<String, String> vars) {
        vars.forEach((key, value) -> {
            new ConfigKey(key);
            if (value == null) {
                throw ApiException.invalid("env var '" + key + "' has no value: give a string");
            }
            validateValue(key, value);
        });
        requireTotalWithinLimit("these env vars", vars);
    }

    /** The bytes {@code vars} take in a process's environment: {@code KEY=value} and a NUL each. */
    static long environmentBytes(Map<String, String> vars) {
        long total = 0;
        for (var e : vars.entrySet()) {
            total += e.getKey().length() + 2L + e.getValue().getBytes(StandardCharsets.UTF_8).length;
        }
        return total;
    }

    private static void requireTotalWithinLimit(String subject, Map<String, String> vars) {
        long total = environmentBytes(vars);
        if (total > MAX_TOTAL_BYTES) {
            throw ApiException.invalid(subject + " take " + total + " bytes (" + kib(total) + ") as environment; an app's "
                    + "config vars may total at most " + MAX_TOTAL_BYTES + " bytes (" + kib(MAX_TOTAL_BYTES) + "), or its "
                    + "dynos could not start. Nothing was changed: unset some, or keep large data in a file or a backing service");
        }
    }

    private static String kib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }

    static void validateValue(String key, String value) {
        StorableText.require("config var '" + key + "'", value);
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
