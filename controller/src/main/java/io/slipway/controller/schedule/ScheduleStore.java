package io.slipway.controller.schedule;

import io.slipway.api.ScheduleRunView;
import io.slipway.controller.app.App;
import io.slipway.controller.app.AppName;
import io.slipway.controller.db.Database;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The {@code schedules} and {@code schedule_runs} tables. */
final class ScheduleStore {
    private static final String SELECT = """
            select id, app_id, cron, quartz_cron, command, timezone, overlap, created_by, created_at from schedules
            """;
    private static final String SELECT_RUNS = """
            select r.schedule_id, s.cron, s.command, r.dyno, r.started_at, r.ended_at, r.exit_code, r.status, r.output
            from schedule_runs r join schedules s on s.id = r.schedule_id
            """;
    static final String ORPHANED = "the controller running this stopped before it ended; its outcome is unknown";

    private final Database db;
    private final int historyPerSchedule;

    ScheduleStore(Database db, int historyPerSchedule) {
        this.db = db;
        this.historyPerSchedule = historyPerSchedule;
    }

    Schedule insert(UUID appId, Cron cron, String command, ZoneId zone, Overlap overlap, String by, Instant now) {
        return db.inTransaction(c -> {
            try (var st = c.prepareStatement("""
                    insert into schedules (app_id, cron, quartz_cron, command, timezone, overlap, created_by, created_at)
                    values (?, ?, ?, ?, ?, ?, ?, ?) returning id""")) {
                st.setObject(1, appId);
                st.setString(2, cron.unix());
                st.setString(3, cron.quartz());
                st.setString(4, command);
                st.setString(5, zone.getId());
                st.setString(6, overlap.value());
                st.setString(7, by);
                st.setTimestamp(8, Timestamp.from(now));
                var rs = st.executeQuery();
                rs.next();
                return new Schedule(rs.getObject(1, UUID.class), appId, cron, command, zone, overlap, by, now);
            }
        });
    }

    List<Schedule> list(UUID appId) {
        return query(SELECT + " where app_id = ? order by created_at, id", appId);
    }

    List<Schedule> all() {
        return query(SELECT + " order by created_at, id", null);
    }

    /** By full id, or by a prefix of it that names exactly one of the app's schedules. */
    List<Schedule> find(UUID appId, String idOrPrefix) {
        return db.inTransaction(c -> {
            try (var st = c.prepareStatement(SELECT + " where app_id = ? and id::text like ? order by id limit 2")) {
                st.setObject(1, appId);
                st.setString(2, idOrPrefix.toLowerCase(java.util.Locale.ROOT) + "%");
                return read(st.executeQuery());
            }
        });
    }

    boolean delete(UUID id) {
        return db.inTransaction(c -> {
            try (var st = c.prepareStatement("delete from schedules where id = ?")) {
                st.setObject(1, id);
                return st.executeUpdate() == 1;
            }
        });
    }

    /** What a firing found: the schedule is gone, its previous run is still going (and it skips), or a run began. */
    sealed interface Begin permits Gone, Skipped, Started {}

    record Gone() implements Begin {}

    record Skipped(Schedule schedule, App app, Instant previousStartedAt) implements Begin {}

    record Started(long runId, Schedule schedule, App app) implements Begin {}

    /**
     * Decides a firing in one transaction that holds the schedule's row, so controllers sharing the
     * database decide one firing at a time. A run still marked running by a controller that no
     * longer checks in ({@code staleBeforeMillis}, Quartz's clock) is closed as failed first, so a
     * crash does not make {@code skip} skip forever.
     */
    Begin begin(UUID scheduleId, Instant scheduledFor, Instant now, String instanceId, long staleBeforeMillis) {
        return db.inTransaction(c -> {
            Schedule schedule;
            App app;
            try (var st = c.prepareStatement("""
                    select s.id, s.app_id, s.cron, s.quartz_cron, s.command, s.timezone, s.overlap, s.created_by,
                           s.created_at, a.name as app_name, a.created_at as app_created_at, a.updated_at as app_updated_at
                    from schedules s join apps a on a.id = s.app_id where s.id = ? for update of s""")) {
                st.setObject(1, scheduleId);
                var rs = st.executeQuery();
                if (!rs.next()) {
                    return new Gone();
                }
                schedule = readSchedule(rs);
                app = new App(rs.getObject("app_id", UUID.class), new AppName(rs.getString("app_name")),
                        rs.getTimestamp("app_created_at").toInstant(), rs.getTimestamp("app_updated_at").toInstant());
            }
            try (var st = c.prepareStatement("""
                    update schedule_runs r set status = 'failed', ended_at = ?, output = ?
                    where r.schedule_id = ? and r.status = 'running' and r.instance_id <> ?
                      and not exists (select 1 from qrtz_scheduler_state q
                                      where q.sched_name = ? and q.instance_name = r.instance_id
                                        and q.last_checkin_time >= ?)""")) {
                st.setTimestamp(1, Timestamp.from(now));
                st.setString(2, ORPHANED);
                st.setObject(3, scheduleId);
                st.setString(4, instanceId);
                st.setString(5, Quartz.SCHEDULER_NAME);
                st.setLong(6, staleBeforeMillis);
                st.executeUpdate();
            }
            if (schedule.overlap() == Overlap.SKIP) {
                try (var st = c.prepareStatement("""
                        select started_at from schedule_runs where schedule_id = ? and status = 'running'
                        order by started_at limit 1""")) {
                    st.setObject(1, scheduleId);
                    var rs = st.executeQuery();
                    if (rs.next()) {
                        Instant previous = rs.getTimestamp(1).toInstant();
                        insertRun(c, scheduleId, scheduledFor, now, "skipped", now,
                                "skipped: the previous run (started " + previous + ") was still going", instanceId);
                        return new Skipped(schedule, app, previous);
                    }
                }
            }
            long runId = insertRun(c, scheduleId, scheduledFor, now, "running", null, "", instanceId);
            return new Started(runId, schedule, app);
        });
    }

    private long insertRun(Connection c, UUID scheduleId, Instant scheduledFor, Instant startedAt, String status,
                           Instant endedAt, String output, String instanceId) throws SQLException {
        long id;
        try (var st = c.prepareStatement("""
                insert into schedule_runs (schedule_id, scheduled_for, started_at, ended_at, status, output, instance_id)
                values (?, ?, ?, ?, ?, ?, ?) returning id""")) {
            st.setObject(1, scheduleId);
            st.setTimestamp(2, Timestamp.from(scheduledFor));
            st.setTimestamp(3, Timestamp.from(startedAt));
            st.setTimestamp(4, endedAt == null ? null : Timestamp.from(endedAt));
            st.setString(5, status);
            st.setString(6, output);
            st.setString(7, instanceId);
            var rs = st.executeQuery();
            rs.next();
            id = rs.getLong(1);
        }
        // The history is bounded: the newest runs of each schedule are kept.
        try (var st = c.prepareStatement("""
                delete from schedule_runs where schedule_id = ? and id not in
                    (select id from schedule_runs where schedule_id = ? order by id desc limit ?)""")) {
            st.setObject(1, scheduleId);
            st.setObject(2, scheduleId);
            st.setInt(3, historyPerSchedule);
            st.executeUpdate();
        }
        return id;
    }

    /** Records how a run ended; a run already closed (as orphaned) stays as it is. */
    void finish(long runId, String dyno, Instant startedAt, Instant endedAt, Integer exitCode, String status, String output) {
        db.inTransaction(c -> {
            try (var st = c.prepareStatement("""
                    update schedule_runs set dyno = ?, started_at = coalesce(?, started_at), ended_at = ?, exit_code = ?,
                                             status = ?, output = ?
                    where id = ? and status = 'running'""")) {
                st.setString(1, dyno);
                st.setTimestamp(2, startedAt == null ? null : Timestamp.from(startedAt));
                st.setTimestamp(3, Timestamp.from(endedAt));
                st.setObject(4, exitCode);
                st.setString(5, status);
                st.setString(6, output);
                st.setLong(7, runId);
                return st.executeUpdate();
            }
        });
    }

    /** On a controller's stop: its runs that are still going lose their recorder. */
    int abandon(String instanceId, Instant now, String why) {
        return db.inTransaction(c -> {
            try (var st = c.prepareStatement("""
                    update schedule_runs set status = 'failed', ended_at = ?, output = ?
                    where instance_id = ? and status = 'running'""")) {
                st.setTimestamp(1, Timestamp.from(now));
                st.setString(2, why);
                st.setString(3, instanceId);
                return st.executeUpdate();
            }
        });
    }

    List<ScheduleRunView> history(UUID scheduleId, int limit) {
        return runs(SELECT_RUNS + " where r.schedule_id = ? order by r.started_at desc, r.id desc limit ?", scheduleId, limit);
    }

    List<ScheduleRunView> appRuns(UUID appId, int limit) {
        return runs(SELECT_RUNS + " where s.app_id = ? order by r.started_at desc, r.id desc limit ?", appId, limit);
    }

    private List<ScheduleRunView> runs(String sql, UUID id, int limit) {
        return db.inTransaction(c -> {
            try (var st = c.prepareStatement(sql)) {
                st.setObject(1, id);
                st.setInt(2, limit);
                var rs = st.executeQuery();
                List<ScheduleRunView> out = new ArrayList<>();
                while (rs.next()) {
                    Timestamp ended = rs.getTimestamp("ended_at");
                    out.add(new ScheduleRunView(rs.getObject("schedule_id", UUID.class).toString(), rs.getString("cron"),
                            rs.getString("command"), rs.getString("dyno"), rs.getTimestamp("started_at").toInstant(),
                            ended == null ? null : ended.toInstant(), rs.getObject("exit_code", Integer.class),
                            rs.getString("status"), rs.getString("output")));
                }
                return out;
            }
        });
    }

    private List<Schedule> query(String sql, UUID param) {
        return db.inTransaction(c -> {
            try (var st = c.prepareStatement(sql)) {
                if (param != null) {
                    st.setObject(1, param);
                }
                return read(st.executeQuery());
            }
        });
    }

    private static List<Schedule> read(ResultSet rs) throws SQLException {
        List<Schedule> out = new ArrayList<>();
        while (rs.next()) {
            out.add(readSchedule(rs));
        }
        return out;
    }

    private static Schedule readSchedule(ResultSet rs) throws SQLException {
        return new Schedule(rs.getObject("id", UUID.class), rs.getObject("app_id", UUID.class),
                new Cron(rs.getString("cron"), rs.getString("quartz_cron")), rs.getString("command"),
                ZoneId.of(rs.getString("timezone")), Overlap.parse(rs.getString("overlap")),
                rs.getString("created_by"), rs.getTimestamp("created_at").toInstant());
    }
}
