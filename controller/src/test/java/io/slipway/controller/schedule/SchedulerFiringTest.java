package io.slipway.controller.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slipway.api.ScheduleRunView;
import io.slipway.api.ScheduleView;
import io.slipway.controller.app.App;
import io.slipway.controller.app.AppName;
import io.slipway.controller.app.AppService;
import io.slipway.controller.db.Database;
import io.slipway.controller.db.DatabaseUrl;
import io.slipway.controller.http.ApiException;
import io.slipway.controller.logs.LogLine;
import io.slipway.controller.testing.SharedPostgres;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Quartz on a real PostgreSQL, firing a fake one-off runner: schedules fire and are recorded,
 * overlap is skipped or allowed, a missed slot fires once on start, and two clustered schedulers
 * on one database fire each slot once. Tests use seconds-level Quartz crons through the package's hook.
 */
class SchedulerFiringTest {
    private static final String EVERY_SECOND = "* * * * * ?";
    private static final ZoneId UTC = ZoneId.of("UTC");

    private String url;
    private final List<Database> databases = new ArrayList<>();
    private final List<ScheduleService> services = new ArrayList<>();
    private final List<LogLine> events = new CopyOnWriteArrayList<>();
    private Database db;
    private AppService apps;
    private App app;

    @BeforeEach
    void setUp() {
        url = SharedPostgres.get().createDatabase();
        db = open();
        apps = new AppService(db);
        app = apps.create(Optional.of(new AppName("shop")), "test");
    }

    @AfterEach
    void tearDown() {
        services.forEach(ScheduleService::close);
        databases.forEach(Database::close);
        SharedPostgres.get().dropDatabase(url);
    }

    @Test
    void aFiringRunsTheCommandAsAOneOffDynoAndRecordsItsEnd() {
        FakeRunner runner = new FakeRunner();
        ScheduleService schedules = service(db, runner);
        schedules.start();

        ScheduleView added = schedules.add(app, Cron.quartz(EVERY_SECOND), "python report.py", UTC, Overlap.SKIP, "admin");

        await().atMost(Duration.ofSeconds(10)).until(() -> finished(schedules, added).size() >= 1);
        FakeRunner.Call call = runner.calls.getFirst();
        assertThat(call.app()).isEqualTo("shop");
        assertThat(call.command()).isEqualTo("python report.py");
        assertThat(call.trigger()).isEqualTo("schedule " + added.id());
        assertThat(call.maxTime()).isEqualTo(Duration.ofMinutes(5));
        ScheduleRunView run = finished(schedules, added).getLast();
        assertThat(run.status()).isEqualTo("succeeded");
        assertThat(run.exitCode()).isZero();
        assertThat(run.output()).isEqualTo("report done");
        assertThat(run.dyno()).startsWith("run.");
        assertThat(run.endedAt()).isAfterOrEqualTo(run.startedAt());
        assertThat(run.command()).isEqualTo("python report.py");
        assertThat(schedules.runs(app, 50)).isNotEmpty();
        assertThat(events).extracting(LogLine::text).anySatisfy(text -> assertThat(text)
                .startsWith("Schedule " + added.id().substring(0, 8) + " added: `python report.py`").endsWith("by admin"));
    }

    @Test
    void aRunThatEndsWhileTheDatabaseIsAwayIsRecordedOnceItIsBackAndLaterFiringsRun() throws Exception {
        FakeRunner runner = new FakeRunner();
        runner.hold();
        ScheduleService schedules = service(db, runner);
        schedules.start();
        ScheduleView added = schedules.add(app, Cron.quartz(EVERY_SECOND), "python report.py", UTC, Overlap.SKIP, "admin");
        await().atMost(Duration.ofSeconds(10)).until(() -> runner.running.get() == 1);

        String name = url.substring(url.lastIndexOf('/') + 1);
        SharedPostgres.get().execute("alter database " + name + " with allow_connections false");
        SharedPostgres.get().execute("select pg_terminate_backend(pid) from pg_stat_activity where datname = '" + name + "'");
        runner.release(); // the run ends while nobody can record it
        Thread.sleep(1500);
        SharedPostgres.get().execute("alter database " + name + " with allow_connections true");

        await().atMost(Duration.ofSeconds(20)).until(() -> finished(schedules, added).size() >= 2);
        assertThat(finished(schedules, added).getFirst().status()).isEqualTo("succeeded");
        assertThat(runner.calls.size()).as("later firings ran, not skipped as overlapping").isGreaterThanOrEqualTo(2);
    }

    @Test
    void aFailingCommandIsRecordedWithItsExitCodeAndFirstLines() {
        FakeRunner runner = new FakeRunner();
        runner.exitCode = 3;
        runner.output = "Traceback (most recent call last):\nValueError: no data";
        ScheduleService schedules = service(db, runner);
        schedules.start();

        ScheduleView added = schedules.add(app, Cron.quartz(EVERY_SECOND), "python report.py", UTC, Overlap.SKIP, "admin");

        await().atMost(Duration.ofSeconds(10)).until(() -> finished(schedules, added).size() >= 1);
        ScheduleRunView run = finished(schedules, added).getFirst();
        assertThat(run.status()).isEqualTo("failed");
        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.output()).isEqualTo("Traceback (most recent call last):\nValueError: no data");
    }

    @Test
    void aCommandThatCannotStartIsRecordedAsFailedWithTheReason() {
        FakeRunner runner = new FakeRunner();
        runner.failure = ApiException.invalid("app 'shop' has no release yet: git push to deploy it, then run commands in it");
        ScheduleService schedules = service(db, runner);
        schedules.start();

        ScheduleView added = schedules.add(app, Cron.quartz(EVERY_SECOND), "python report.py", UTC, Overlap.SKIP, "admin");

        await().atMost(Duration.ofSeconds(10)).until(() -> finished(schedules, added).size() >= 1);
        ScheduleRunView run = finished(schedules, added).getFirst();
        assertThat(run.status()).isEqualTo("failed");
        assertThat(run.exitCode()).isNull();
        assertThat(run.output()).isEqualTo("could not run: app 'shop' has no release yet: git push to deploy it, then run commands in it");
    }

    @Test
    void withSkipAFiringWhileThePreviousRunIsStillGoingIsRecordedAsSkippedAndStartsNothing() {
        FakeRunner runner = new FakeRunner();
        runner.hold();
        ScheduleService schedules = service(db, runner);
        schedules.start();

        ScheduleView added = schedules.add(app, Cron.quartz(EVERY_SECOND), "python long.py", UTC, Overlap.SKIP, "admin");

        await().atMost(Duration.ofSeconds(10)).until(() -> statuses(schedules, added).stream()
                .filter("skipped"::equals).count() >= 2);
        assertThat(runner.calls).hasSize(1);
        assertThat(runner.mostAtOnce.get()).isEqualTo(1);
        assertThat(statuses(schedules, added)).containsOnlyOnce("running");
        assertThat(schedules.history(app, added.id(), 50)).filteredOn(r -> r.status().equals("skipped")).first()
                .satisfies(r -> assertThat(r.output()).startsWith("skipped: the previous run (started "));
        assertThat(events).extracting(LogLine::text).anySatisfy(t -> assertThat(t).contains("skipped: its previous run"));

        runner.release();
        await().atMost(Duration.ofSeconds(10)).until(() -> statuses(schedules, added).contains("succeeded"));
    }

    @Test
    void withAllowAFiringStartsAnotherRunAlongsideTheOneStillGoing() {
        FakeRunner runner = new FakeRunner();
        runner.hold();
        ScheduleService schedules = service(db, runner);
        schedules.start();

        ScheduleView added = schedules.add(app, Cron.quartz(EVERY_SECOND), "python long.py", UTC, Overlap.ALLOW, "admin");

        await().atMost(Duration.ofSeconds(10)).until(() -> runner.running.get() >= 2);
        assertThat(statuses(schedules, added)).doesNotContain("skipped").contains("running");
        runner.release();
        await().atMost(Duration.ofSeconds(10)).until(() -> runner.running.get() == 0);
    }

    @Test
    void slotsMissedWhileNoSchedulerRanFireOnceWhenOneStarts() throws Exception {
        // Three slots, one second apart, all of them while no scheduler runs: a platform that is down.
        ZonedDateTime soon = ZonedDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).plusSeconds(2);
        ZonedDateTime first = soon.getSecond() > 55 ? soon.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1) : soon;
        String threeSlots = String.format("%d-%d %d %d %d %d ? %d", first.getSecond(), first.getSecond() + 2,
                first.getMinute(), first.getHour(), first.getDayOfMonth(), first.getMonthValue(), first.getYear());
        ScheduleService stopped = service(db, new FakeRunner());
        ScheduleView added = stopped.add(app, Cron.quartz(threeSlots), "python nightly.py", UTC, Overlap.SKIP, "admin");
        stopped.close();
        sleepUntil(first.plusSeconds(3).plusNanos(500_000_000).toInstant());

        FakeRunner runner = new FakeRunner();
        ScheduleService restarted = service(db, runner);
        restarted.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> finished(restarted, added).size() == 1);
        Thread.sleep(2500); // time for any further (wrong) catch-up firings
        assertThat(runner.calls).hasSize(1);
        assertThat(restarted.history(app, added.id(), 50)).singleElement()
                .satisfies(r -> assertThat(r.status()).isEqualTo("succeeded"));
        assertThat(scheduledFor(added)).singleElement().satisfies(t -> assertThat(t).isAfter(first.plusSeconds(2).toInstant()));
    }

    @Test
    void twoClusteredSchedulersOnOneDatabaseFireEachSlotOnce() {
        FakeRunner one = new FakeRunner();
        FakeRunner two = new FakeRunner();
        ScheduleService first = service(db, one);
        ScheduleService second = service(open(), two);
        first.start();
        second.start();

        ScheduleView added = first.add(app, Cron.quartz(EVERY_SECOND), "python tick.py", UTC, Overlap.ALLOW, "admin");

        assertThat(count("select count(*) from qrtz_scheduler_state")).as("checked-in cluster members").isEqualTo(2);
        await().atMost(Duration.ofSeconds(20)).until(() -> finished(first, added).size() >= 6);
        List<Instant> slots = scheduledFor(added);
        assertThat(slots).doesNotHaveDuplicates();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(one.calls.size() + two.calls.size()).isEqualTo(scheduledFor(added).size()));
    }

    @Test
    void removingAScheduleStopsItsFiringsAndAnUnknownIdIsNotFound() throws Exception {
        FakeRunner runner = new FakeRunner();
        ScheduleService schedules = service(db, runner);
        schedules.start();
        ScheduleView added = schedules.add(app, Cron.quartz(EVERY_SECOND), "python tick.py", UTC, Overlap.SKIP, "admin");
        await().atMost(Duration.ofSeconds(10)).until(() -> runner.calls.size() >= 1);

        schedules.remove(app, added.id().substring(0, 8), "admin");
        Thread.sleep(300);
        int after = runner.calls.size();
        Thread.sleep(2000);

        assertThat(runner.calls).hasSize(after);
        assertThat(schedules.list(app)).isEmpty();
        assertThat(count("select count(*) from qrtz_job_details")).isZero();
        assertThat(count("select count(*) from qrtz_triggers")).isZero();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> schedules.remove(app, added.id(), "admin"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(404))
                .hasMessage("app 'shop' has no schedule '" + added.id() + "'; 'slipway schedules -a shop' lists them");
    }

    @Test
    void destroyingAnAppRemovesItsSchedulesHistoryAndQuartzJobs() {
        FakeRunner runner = new FakeRunner();
        ScheduleService schedules = service(db, runner);
        apps.onDestroy(schedules::forgetApp);
        schedules.start();
        schedules.add(app, Cron.quartz(EVERY_SECOND), "python tick.py", UTC, Overlap.SKIP, "admin");
        schedules.add(app, Cron.parse("0 3 * * *"), "python nightly.py", UTC, Overlap.SKIP, "admin");
        await().atMost(Duration.ofSeconds(10)).until(() -> count("select count(*) from schedule_runs where status <> 'running'") >= 1);

        apps.destroy("shop", "admin");

        assertThat(count("select count(*) from schedules")).isZero();
        assertThat(count("select count(*) from schedule_runs")).isZero();
        assertThat(count("select count(*) from qrtz_job_details")).isZero();
        assertThat(count("select count(*) from qrtz_cron_triggers")).isZero();
    }

    @Test
    void aRunLeftRunningByAControllerThatStoppedCheckingInNoLongerBlocksSkip() {
        FakeRunner runner = new FakeRunner();
        ScheduleService schedules = service(db, runner);
        ScheduleView added = schedules.add(app, Cron.quartz(EVERY_SECOND), "python tick.py", UTC, Overlap.SKIP, "admin");
        execute("insert into schedule_runs (schedule_id, scheduled_for, started_at, status, instance_id) "
                + "values ('" + added.id() + "', now() - interval '1 hour', now() - interval '1 hour', 'running', 'gone-1')");

        schedules.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> runner.calls.size() >= 1);
        assertThat(schedules.history(app, added.id(), 50)).last()
                .satisfies(r -> {
                    assertThat(r.status()).isEqualTo("failed");
                    assertThat(r.output()).isEqualTo(ScheduleStore.ORPHANED);
                });
    }

    @Test
    void theHistoryKeepsOnlyTheNewestRunsOfASchedule() {
        FakeRunner runner = new FakeRunner();
        ScheduleService schedules = service(db, runner, 3);
        schedules.start();
        ScheduleView added = schedules.add(app, Cron.quartz(EVERY_SECOND), "python tick.py", UTC, Overlap.SKIP, "admin");

        await().atMost(Duration.ofSeconds(15)).until(() -> runner.calls.size() >= 5);

        assertThat(count("select count(*) from schedule_runs")).isLessThanOrEqualTo(3);
        assertThat(schedules.history(app, added.id(), 50)).hasSizeLessThanOrEqualTo(3);
    }

    @Test
    void aListedScheduleShowsItsNextRunInItsTimezone() {
        Clock fixed = Clock.fixed(Instant.parse("2026-11-28T12:00:00Z"), ZoneOffset.UTC);
        ScheduleService schedules = new ScheduleService(db, new FakeRunner(), events::add, fixed, fast(100));
        services.add(schedules);

        schedules.add(app, Cron.parse("0 3 * * MON-FRI"), "python nightly.py", ZoneId.of("Europe/Berlin"), Overlap.SKIP, "admin");

        assertThat(schedules.list(app)).singleElement().satisfies(s -> {
            assertThat(s.cron()).isEqualTo("0 3 * * MON-FRI");
            assertThat(s.timezone()).isEqualTo("Europe/Berlin");
            assertThat(s.overlap()).isEqualTo("skip");
            assertThat(s.nextRunAt()).isEqualTo(Instant.parse("2026-11-30T02:00:00Z"));
            assertThat(s.createdAt()).isEqualTo(Instant.parse("2026-11-28T12:00:00Z"));
            assertThat(s.createdBy()).isEqualTo("admin");
        });
    }

    private Database open() {
        Database d = Database.open(DatabaseUrl.parse(url), Duration.ofSeconds(3), Duration.ofSeconds(10));
        databases.add(d);
        return d;
    }

    private ScheduleService service(Database database, FakeRunner runner) {
        return service(database, runner, 100);
    }

    private ScheduleService service(Database database, FakeRunner runner, int history) {
        ScheduleService s = new ScheduleService(database, runner, events::add, Clock.systemUTC(), fast(history));
        services.add(s);
        return s;
    }

    static ScheduleService.Settings fast(int history) {
        return new ScheduleService.Settings(Duration.ofMinutes(5), Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofSeconds(1), history);
    }

    private List<ScheduleRunView> finished(ScheduleService schedules, ScheduleView s) {
        return schedules.history(app, s.id(), 500).stream()
                .filter(r -> !r.status().equals("running") && !r.status().equals("skipped")).toList();
    }

    private List<String> statuses(ScheduleService schedules, ScheduleView s) {
        return schedules.history(app, s.id(), 500).stream().map(ScheduleRunView::status).toList();
    }

    private List<Instant> scheduledFor(ScheduleView s) {
        return db.inTransaction(c -> {
            try (var st = c.prepareStatement("select scheduled_for from schedule_runs where schedule_id = ?::uuid")) {
                st.setString(1, s.id());
                var rs = st.executeQuery();
                List<Instant> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(rs.getTimestamp(1).toInstant());
                }
                return out;
            }
        });
    }

    private long count(String sql) {
        return db.inTransaction(c -> {
            try (var st = c.createStatement()) {
                var rs = st.executeQuery(sql);
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    private void execute(String sql) {
        db.inTransaction(c -> {
            try (var st = c.createStatement()) {
                return st.executeUpdate(sql);
            }
        });
    }

    private static void sleepUntil(Instant t) throws InterruptedException {
        long ms = Duration.between(Instant.now(), t).toMillis();
        if (ms > 0) {
            Thread.sleep(ms);
        }
    }
}
