package io.slipway.controller.addons;

import io.slipway.controller.db.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The {@code addon_backups}, {@code addon_backup_restores} and {@code addon_backup_schedules} tables. */
final class BackupStore {
    private static final String COLUMNS = "id, app_id, number, addon_id, addon_name, trigger, state, failure, size_bytes, "
            + "sha256, created_by, started_at, finished_at";

    /** A restore of a backup, as recorded. */
    record Restore(UUID id, UUID backupId, String state, String message, Instant startedAt, Instant finishedAt) {}

    /** A daily backup schedule of one add-on. */
    record Plan(UUID addonId, UUID appId, String at, String cron, String timezone, int keep, String createdBy) {}

    private final Database db;

    BackupStore(Database db) {
        this.db = db;
    }

    /** A new running backup, numbered after the app's last one (b001, b002 …). */
    Backup begin(UUID appId, Addon addon, Backup.Trigger trigger, String by) {
        return db.inTransaction(c -> {
            try (var lock = c.prepareStatement("select 1 from apps where id = ? for update")) {
                lock.setObject(1, appId);
                lock.executeQuery();
            }
            int number;
            try (var st = c.prepareStatement("select coalesce(max(number), 0) + 1 from addon_backups where app_id = ?")) {
                st.setObject(1, appId);
                var rs = st.executeQuery();
                rs.next();
                number = rs.getInt(1);
            }
            UUID id = UUID.randomUUID();
            try (var st = c.prepareStatement("insert into addon_backups (id, app_id, number, addon_id, addon_name, trigger, "
                    + "state, created_by) values (?, ?, ?, ?, ?, ?, 'running', ?) returning " + COLUMNS)) {
                st.setObject(1, id);
                st.setObject(2, appId);
                st.setInt(3, number);
                st.setObject(4, addon.id());
                st.setString(5, addon.name());
                st.setString(6, trigger.name().toLowerCase());
                st.setString(7, by);
                var rs = st.executeQuery();
                rs.next();
                return read(rs);
            }
        });
    }

    void done(UUID id, long size, String sha256) {
        update("update addon_backups set state = 'done', size_bytes = ?, sha256 = ?, finished_at = now() where id = ?",
                size, sha256, id);
    }

    void failed(UUID id, String why) {
        update("update addon_backups set state = 'failed', failure = ?, finished_at = now() where id = ?", why, id);
    }

    /** Backups left running by a controller that stopped: they never finished. */
    List<Backup> abandoned() {
        return list("select " + COLUMNS + " from addon_backups where state = 'running'");
    }

    Optional<Backup> find(UUID appId, int number) {
        return list("select " + COLUMNS + " from addon_backups where app_id = ? and number = ?", appId, number)
                .stream().findFirst();
    }

    Optional<Backup> find(UUID id) {
        return list("select " + COLUMNS + " from addon_backups where id = ?", id).stream().findFirst();
    }

    Optional<Backup> lastOf(UUID addonId, Backup.Trigger trigger) {
        return list("select " + COLUMNS + " from addon_backups where addon_id = ? and trigger = ? order by number desc limit 1",
                addonId, trigger.name().toLowerCase()).stream().findFirst();
    }

    List<Backup> ofApp(UUID appId) {
        return list("select " + COLUMNS + " from addon_backups where app_id = ? order by number", appId);
    }

    /** The add-on's scheduled backups beyond the newest {@code keep} done ones (failed ones among them too). */
    List<Backup> beyond(UUID addonId, int keep) {
        return list("select " + COLUMNS + " from addon_backups where addon_id = ? and trigger = 'schedule' "
                + "and state <> 'running' and number < coalesce((select min(number) from (select number from addon_backups "
                + "where addon_id = ? and trigger = 'schedule' and state = 'done' order by number desc limit ?) kept), 0) "
                + "order by number", addonId, addonId, keep);
    }

    void delete(UUID id) {
        update("delete from addon_backups where id = ?", id);
    }

    Restore beginRestore(UUID backupId, String by) {
        UUID id = UUID.randomUUID();
        update("insert into addon_backup_restores (id, backup_id, state, created_by) values (?, ?, 'running', ?)", id,
                backupId, by);
        return restore(id).orElseThrow();
    }

    void endRestore(UUID id, boolean ok, String message) {
        update("update addon_backup_restores set state = ?, message = ?, finished_at = now() where id = ?",
                ok ? "done" : "failed", message, id);
    }

    Optional<Restore> restore(UUID id) {
        return db.inTransaction(c -> {
            try (var st = c.prepareStatement("select id, backup_id, state, message, started_at, finished_at "
                    + "from addon_backup_restores where id = ?")) {
                st.setObject(1, id);
                var rs = st.executeQuery();
                if (!rs.next()) {
                    return Optional.<Restore>empty();
                }
                return Optional.of(new Restore(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                        rs.getString(4), rs.getTimestamp(5).toInstant(),
                        rs.getTimestamp(6) == null ? null : rs.getTimestamp(6).toInstant()));
            }
        });
    }

    /** The restores of the app's backups, oldest first. */
    List<Restore> restoresOf(UUID appId) {
        return db.inTransaction(c -> {
            try (var st = c.prepareStatement("select r.id, r.backup_id, r.state, r.message, r.started_at, r.finished_at "
                    + "from addon_backup_restores r join addon_backups b on b.id = r.backup_id where b.app_id = ? "
                    + "order by r.started_at, r.id")) {
                st.setObject(1, appId);
                var rs = st.executeQuery();
                List<Restore> out = new java.util.ArrayList<>();
                while (rs.next()) {
                    out.add(new Restore(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                            rs.getString(4), rs.getTimestamp(5).toInstant(),
                            rs.getTimestamp(6) == null ? null : rs.getTimestamp(6).toInstant()));
                }
                return out;
            }
        });
    }

    /** Restores a stopped controller left running: they never finished. */
    void abandonRestores(String why) {
        update("update addon_backup_restores set state = 'failed', message = ?, finished_at = now() where state = 'running'", why);
    }

    void plan(Plan p) {
        update("insert into addon_backup_schedules (addon_id, app_id, at, cron, timezone, keep, created_by) "
                + "values (?, ?, ?, ?, ?, ?, ?) "
                + "on conflict (addon_id) do update set at = excluded.at, cron = excluded.cron, timezone = excluded.timezone, keep = excluded.keep, "
                + "created_by = excluded.created_by, created_at = now()", p.addonId(), p.appId(), p.at(), p.cron(), p.timezone(),
                p.keep(), p.createdBy());
    }

    void unplan(UUID addonId) {
        update("delete from addon_backup_schedules where addon_id = ?", addonId);
    }

    Optional<Plan> plan(UUID addonId) {
        return plans("where addon_id = ?", addonId).stream().findFirst();
    }

    List<Plan> plans() {
        return plans("");
    }

    List<Plan> plansOf(UUID appId) {
        return plans("where app_id = ?", appId);
    }

    private List<Plan> plans(String where, Object... params) {
        return db.inTransaction(c -> {
            try (var st = c.prepareStatement("select addon_id, app_id, at, cron, timezone, keep, created_by from addon_backup_schedules "
                    + where + " order by created_at")) {
                for (int i = 0; i < params.length; i++) {
                    st.setObject(i + 1, params[i]);
                }
                var rs = st.executeQuery();
                List<Plan> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new Plan(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getInt(6), rs.getString(7)));
                }
                return out;
            }
        });
    }

    private List<Backup> list(String sql, Object... params) {
        return db.inTransaction(c -> {
            try (var st = c.prepareStatement(sql)) {
                for (int i = 0; i < params.length; i++) {
                    st.setObject(i + 1, params[i]);
                }
                var rs = st.executeQuery();
                List<Backup> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(read(rs));
                }
                return out;
            }
        });
    }

    private void update(String sql, Object... params) {
        db.inTransaction(c -> {
            try (var st = c.prepareStatement(sql)) {
                for (int i = 0; i < params.length; i++) {
                    st.setObject(i + 1, params[i]);
                }
                return st.executeUpdate();
            }
        });
    }

    private static Backup read(ResultSet rs) throws SQLException {
        long size = rs.getLong(9);
        Long sizeBytes = rs.wasNull() ? null : size;
        return new Backup(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getInt(3), rs.getObject(4, UUID.class),
                rs.getString(5), Backup.Trigger.valueOf(rs.getString(6).toUpperCase()),
                Backup.State.valueOf(rs.getString(7).toUpperCase()), rs.getString(8), sizeBytes, rs.getString(10),
                rs.getString(11), rs.getTimestamp(12).toInstant(),
                rs.getTimestamp(13) == null ? null : rs.getTimestamp(13).toInstant());
    }
}
