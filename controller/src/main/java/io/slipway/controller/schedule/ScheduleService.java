package io.slipway.controller.schedule;

import io.slipway.api.CreateSchedule;
import io.slipway.api.ScheduleRunView;
import io.slipway.api.ScheduleView;
import io.slipway.controller.app.App;
import io.slipway.controller.db.Database;
import io.slipway.controller.http.ApiException;
import io.slipway.controller.logs.LogSink;
import io.slipway.controller.run.OneOffRunner;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TimeZone;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.quartz.CronScheduleBuilder;
import org.quartz.JobBuilder;
import org.quartz.JobKey;
import org.quartz.ObjectAlreadyExistsException;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.impl.matchers.GroupMatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scheduled jobs: each schedule is a Quartz cron trigger in the platform's database; each firing
 * runs the command as a one-off dyno and records a history row (start, end, exit code, first lines).
 * Quartz's threads only decide a firing and hand the run to a virtual thread, so a long job never
 * holds up the next schedule's firing.
 */
public final class ScheduleService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ScheduleService.class);
    private static final int MAX_COMMAND = 4096;
    private static final int OUTPUT_LINES = 20;
    private static final int OUTPUT_CHARS = 8192;

    /**
     * @param maxRunTime         a firing's one-off dyno is stopped after this
     * @param misfireThreshold   a slot later than this counts as missed (fired once, on start)
     * @param clusterCheckin     how often each controller tells the others it is alive
     * @param idleWait           how long Quartz sleeps with nothing due before it looks again
     * @param historyPerSchedule runs kept per schedule
     */
    public record Settings(Duration maxRunTime, Duration misfireThreshold, Duration clusterCheckin, Duration idleWait,
                           int historyPerSchedule) {
        public static Settings defaults(Duration maxRunTime) {
            return new Settings(maxRunTime, Duration.ofMinutes(1), Duration.ofMillis(7500), Duration.ofSeconds(30), 100);
        }
    }

    private final ScheduleStore store;
    private final OneOffRunner runner;
    private final LogSink logs;
    private final Clock clock;
    private final Settings settings;
    private final Scheduler quartz;
    private final String instanceId;
    private final ExecutorService runs = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("schedule-run-", 1).factory());
    private volatile boolean closed;
    /** Other features' timers (add-on backups), by Quartz job group: fired to them, left alone by {@link #reconcile}. */
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    /** What another feature does when one of its planned jobs fires; called on a Quartz thread, so it only hands off. */
    @FunctionalInterface
    public interface Timer {
        void fire(String name, Instant scheduledFor);
    }

    public ScheduleService(Database db, OneOffRunner runner, LogSink logs, Clock clock, Settings settings) {
        this.store = new ScheduleStore(db, settings.historyPerSchedule());
        this.runner = runner;
        this.logs = logs;
        this.clock = clock;
        this.settings = settings;
        this.quartz = Quartz.create(db.dataSource(), new Quartz.Tuning(settings.misfireThreshold(),
                settings.clusterCheckin(), settings.idleWait(), 2));
        try {
            quartz.setJobFactory((bundle, scheduler) -> {
                Timer timer = timers.get(bundle.getJobDetail().getKey().getGroup());
                return timer == null ? new FireSchedule(this) : context -> timer.fire(
                        context.getJobDetail().getKey().getName(), context.getScheduledFireTime().toInstant());
            });
            this.instanceId = quartz.getSchedulerInstanceId();
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot set up the Quartz scheduler: " + e.getMessage(), e);
        }
    }

    /** Makes Quartz's triggers match the schedules table, then starts firing (missed slots fire once now). */
    public void start() {
        reconcile();
        try {
            quartz.start();
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot start the Quartz scheduler: " + e.getMessage(), e);
        }
        log.info("scheduler instance {} started (clustered on the platform database)", instanceId);
    }

    /** Registers the timer of Quartz job group {@code group}; before {@link #start()}, so its jobs are not taken for stale ones. */
    public void timer(String group, Timer timer) {
        timers.put(group, timer);
    }

    /** Fires {@code group}'s timer with {@code name} on {@code cron} in {@code zone}, replacing what it had planned under that name. */
    public void plan(String group, String name, Cron cron, ZoneId zone) {
        JobKey key = new JobKey(name, group);
        Trigger trigger = TriggerBuilder.newTrigger().withIdentity(name, group)
                .withSchedule(CronScheduleBuilder.cronSchedule(cron.expression(zone)).inTimeZone(TimeZone.getTimeZone(zone))
                        .withMisfireHandlingInstructionFireAndProceed())
                .build();
        try {
            quartz.scheduleJob(JobBuilder.newJob(FireSchedule.class).withIdentity(key).build(), Set.of(trigger), true);
        } catch (SchedulerException e) {
            throw new IllegalStateException(group + "/" + name + ": Quartz refused the trigger: " + e.getMessage(), e);
        }
    }

    /** Fires {@code group}'s timer with {@code name} every {@code interval}, from now on; replaces what it had planned. */
    public void planEvery(String group, String name, Duration interval) {
        Trigger trigger = TriggerBuilder.newTrigger().withIdentity(name, group).startNow()
                .withSchedule(org.quartz.SimpleScheduleBuilder.simpleSchedule().withIntervalInMilliseconds(interval.toMillis())
                        .repeatForever().withMisfireHandlingInstructionNextWithRemainingCount())
                .build();
        try {
            quartz.scheduleJob(JobBuilder.newJob(FireSchedule.class).withIdentity(new JobKey(name, group)).build(), Set.of(trigger), true);
        } catch (SchedulerException e) {
            throw new IllegalStateException(group + "/" + name + ": Quartz refused the trigger: " + e.getMessage(), e);
        }
    }

    /** Stops firing {@code group}'s timer for {@code name}. */
    public void unplan(String group, String name) {
        unschedule(new JobKey(name, group));
    }

    /** The next time {@code cron} fires in {@code zone}. */
    public Optional<Instant> next(Cron cron, ZoneId zone) {
        return cron.nextAfter(clock.instant(), zone);
    }

    /** Adds a schedule from the API's request; every refusal (422) comes before anything is stored. */
    public ScheduleView add(App app, CreateSchedule req, String by) {
        Cron cron = Cron.parse(req.cron());
        ZoneId zone = zone(req.timezone());
        Overlap overlap = Overlap.parse(req.overlap());
        return add(app, cron, req.command(), zone, overlap, by);
    }

    /** As {@link #add(App, CreateSchedule, String)} with a parsed cron; tests pass seconds-level Quartz crons here. */
    ScheduleView add(App app, Cron cron, String command, ZoneId zone, Overlap overlap, String by) {
        if (command == null || command.isBlank()) {
            throw ApiException.invalid("no command given: slipway schedules:add -a " + app.name()
                    + " --cron '*/10 * * * *' -- COMMAND");
        }
        if (command.length() > MAX_COMMAND) {
            throw ApiException.invalid("the command is " + command.length() + " characters long; at most "
                    + MAX_COMMAND + " are accepted");
        }
        Schedule schedule = store.insert(app.id(), cron, command.strip(), zone, overlap, by, clock.instant());
        try {
            quartz.scheduleJob(JobBuilder.newJob(FireSchedule.class).withIdentity(jobKey(schedule)).build(), trigger(schedule));
        } catch (SchedulerException | RuntimeException e) {
            store.delete(schedule.id());
            throw new IllegalStateException("app=" + app.name() + " schedule=" + schedule.id()
                    + ": Quartz refused the trigger: " + e.getMessage(), e);
        }
        String text = "Schedule " + shortId(schedule) + " added: `" + schedule.command() + "` at '" + cron.unix() + "' "
                + zone.getId() + " (overlap " + overlap.value() + ") by " + by;
        log.info("app={} schedule={} {}", app.name(), schedule.id(), text);
        logs.event(app.name().value(), "api", text);
        return view(schedule);
    }

    public List<ScheduleView> list(App app) {
        return store.list(app.id()).stream().map(this::view).toList();
    }

    /** Removes a schedule (by id, or an unambiguous prefix of it) and its Quartz trigger; 404 when it has none such. */
    public ScheduleView remove(App app, String id, String by) {
        Schedule schedule = get(app, id);
        store.delete(schedule.id());
        unschedule(jobKey(schedule));
        String text = "Schedule " + shortId(schedule) + " removed (`" + schedule.command() + "`) by " + by;
        log.info("app={} schedule={} {}", app.name(), schedule.id(), text);
        logs.event(app.name().value(), "api", text);
        return view(schedule);
    }

    /** A schedule's runs, newest first. */
    public List<ScheduleRunView> history(App app, String id, int limit) {
        return store.history(get(app, id).id(), limit);
    }

    /** All of an app's scheduled runs, newest first. */
    public List<ScheduleRunView> runs(App app, int limit) {
        return store.appRuns(app.id(), limit);
    }

    /** After an app is destroyed (its rows went with it): its Quartz jobs go too. */
    public void forgetApp(App app) {
        try {
            Set<JobKey> keys = quartz.getJobKeys(GroupMatcher.jobGroupEquals(app.id().toString()));
            quartz.deleteJobs(List.copyOf(keys));
            if (!keys.isEmpty()) {
                log.info("app={} destroyed: removed its {} scheduled job(s)", app.name(), keys.size());
            }
        } catch (SchedulerException e) {
            log.warn("app={} destroyed, but its scheduled jobs were not removed: {}", app.name(), e.getMessage());
        }
    }

    /** A firing, on a Quartz thread: decided in the database, then run on a virtual thread. Never throws. */
    void fire(JobKey job, Instant scheduledFor) {
        UUID scheduleId = UUID.fromString(job.getName());
        try {
            long staleBefore = System.currentTimeMillis() - (2 * settings.clusterCheckin().toMillis() + 7500);
            switch (store.begin(scheduleId, scheduledFor, clock.instant(), instanceId, staleBefore)) {
                case ScheduleStore.Gone gone -> unschedule(job); // removed by a controller that could not reach Quartz
                case ScheduleStore.Skipped s -> {
                    String text = "Schedule " + shortId(s.schedule()) + " skipped: its previous run (started "
                            + s.previousStartedAt() + ") is still going";
                    log.info("app={} schedule={} {}", s.app().name(), scheduleId, text);
                    logs.event(s.app().name().value(), "scheduler", text);
                }
                case ScheduleStore.Started s -> runs.execute(() -> run(s));
            }
        } catch (RuntimeException e) {
            log.error("schedule={} firing for {} failed: {}", scheduleId, scheduledFor, e.getMessage(), e);
        }
    }

    private void run(ScheduleStore.Started started) {
        Schedule schedule = started.schedule();
        App app = started.app();
        try {
            OneOffRunner.Result r = runner.runToCompletion(app, schedule.command(), "schedule " + schedule.id(),
                    settings.maxRunTime());
            String status = r.timedOut() ? "timed_out" : r.exitCode() == 0 ? "succeeded" : "failed";
            recordEnd(started, () -> store.finish(started.runId(), r.dyno(), r.startedAt(), r.endedAt(), r.exitCode(),
                    status, firstLines(r.firstLines())));
            log.info("app={} schedule={} dyno={} ended: {} (exit {})", app.name(), schedule.id(), r.dyno(), status, r.exitCode());
        } catch (RuntimeException e) {
            log.warn("app={} schedule={} could not run `{}`: {}", app.name(), schedule.id(), schedule.command(), e.getMessage());
            Instant endedAt = clock.instant();
            recordEnd(started, () -> store.finish(started.runId(), null, null, endedAt, null, "failed",
                    firstLines("could not run: " + e.getMessage())));
        }
    }

    /**
     * Records a run's end, waiting out a database that is away (restarting, say) for as long as a
     * run may last: a run left {@code running} would have every later firing of its schedule
     * skipped as overlapping until the controller restarts.
     */
    private void recordEnd(ScheduleStore.Started started, Runnable finish) {
        long deadline = System.nanoTime() + settings.maxRunTime().toNanos();
        long pauseMs = 250;
        for (int attempt = 1; ; attempt++) {
            try {
                finish.run();
                if (attempt > 1) {
                    log.info("app={} schedule={} run {} recorded after {} attempts", started.app().name(),
                            started.schedule().id(), started.runId(), attempt);
                }
                return;
            } catch (RuntimeException e) {
                if (closed || System.nanoTime() > deadline) {
                    log.warn("app={} schedule={} run {} not recorded: {}", started.app().name(), started.schedule().id(),
                            started.runId(), e.getMessage());
                    return;
                }
                if (attempt == 1) {
                    log.warn("app={} schedule={} run {} ended, but its end cannot be recorded yet ({}); trying again"
                            + " until the database answers", started.app().name(), started.schedule().id(),
                            started.runId(), e.getMessage());
                }
                try {
                    Thread.sleep(pauseMs);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
                pauseMs = Math.min(pauseMs * 2, 5000);
            }
        }
    }

    private Schedule get(App app, String id) {
        String given = id == null ? "" : id.strip();
        List<Schedule> found = given.matches("[0-9a-fA-F-]{4,36}") ? store.find(app.id(), given) : List.of();
        if (found.isEmpty()) {
            throw ApiException.notFound("app '" + app.name() + "' has no schedule '" + given
                    + "'; 'slipway schedules -a " + app.name() + "' lists them");
        }
        if (found.size() > 1) {
            throw ApiException.invalid("'" + given + "' is the start of more than one schedule of app '" + app.name()
                    + "'; give more of the id");
        }
        return found.getFirst();
    }

    private ScheduleView view(Schedule s) {
        Instant next = s.cron().nextAfter(clock.instant(), s.zone()).orElse(null);
        return new ScheduleView(s.id().toString(), s.cron().unix(), s.command(), s.zone().getId(), s.overlap().value(),
                next, s.createdAt(), s.createdBy());
    }

    private void reconcile() {
        try {
            List<Schedule> schedules = store.all();
            Set<String> known = new java.util.HashSet<>();
            for (Schedule s : schedules) {
                known.add(s.id().toString());
                if (!quartz.checkExists(jobKey(s)) && s.cron().nextAfter(clock.instant(), s.zone()).isPresent()) {
                    try {
                        quartz.scheduleJob(JobBuilder.newJob(FireSchedule.class).withIdentity(jobKey(s)).build(), trigger(s));
                        log.info("schedule={} had no Quartz trigger: added", s.id());
                    } catch (ObjectAlreadyExistsException raced) {
                        // another controller added it meanwhile
                    }
                }
            }
            for (String group : quartz.getJobGroupNames()) {
                if (timers.containsKey(group)) {
                    continue; // planned by another feature, which keeps them in step with its own table
                }
                for (JobKey key : quartz.getJobKeys(GroupMatcher.jobGroupEquals(group))) {
                    if (!known.contains(key.getName())) {
                        quartz.deleteJob(key);
                        log.info("schedule={} no longer exists: its Quartz job was removed", key.getName());
                    }
                }
            }
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot reconcile schedules with Quartz: " + e.getMessage(), e);
        }
    }

    private void unschedule(JobKey key) {
        try {
            quartz.deleteJob(key);
        } catch (SchedulerException e) {
            log.warn("schedule={}: its Quartz job was not removed ({}); the next start removes it", key.getName(),
                    e.getMessage());
        }
    }

    private static Trigger trigger(Schedule s) {
        return TriggerBuilder.newTrigger()
                .withIdentity(s.id().toString(), s.appId().toString())
                .withSchedule(CronScheduleBuilder.cronSchedule(s.cron().expression(s.zone()))
                        .inTimeZone(TimeZone.getTimeZone(s.zone()))
                        // Missed slots while no controller ran fire once when one starts, not once per slot.
                        .withMisfireHandlingInstructionFireAndProceed())
                .build();
    }

    private static JobKey jobKey(Schedule s) {
        return new JobKey(s.id().toString(), s.appId().toString());
    }

    static ZoneId zone(String text) {
        if (text == null || text.isBlank()) {
            return ZoneId.of("UTC");
        }
        String id = text.strip();
        if (!ZoneId.getAvailableZoneIds().contains(id)) {
            throw ApiException.invalid("unknown timezone '" + id + "': use an IANA time zone id such as UTC, "
                    + "Europe/Berlin or America/New_York");
        }
        return ZoneId.of(id);
    }

    private static String shortId(Schedule s) {
        return s.id().toString().substring(0, 8);
    }

    static String firstLines(String text) {
        if (text == null) {
            return "";
        }
        String[] lines = text.split("\n", OUTPUT_LINES + 1);
        String kept = String.join("\n", java.util.Arrays.asList(lines).subList(0, Math.min(lines.length, OUTPUT_LINES)));
        return kept.length() > OUTPUT_CHARS ? kept.substring(0, OUTPUT_CHARS) : kept;
    }

    /** Stops firing on this controller (others on the database carry on); its runs still going are marked failed. */
    @Override
    public void close() {
        closed = true;
        try {
            quartz.shutdown(true); // waits for its threads; a firing only decides and hands off, so this is quick
        } catch (SchedulerException e) {
            log.warn("Quartz did not shut down cleanly: {}", e.getMessage());
        }
        runs.shutdown();
        try {
            runs.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            int abandoned = store.abandon(instanceId, clock.instant(),
                    "the controller stopped while this ran; its outcome was not recorded");
            if (abandoned > 0) {
                log.warn("scheduler instance {} stopped with {} scheduled run(s) still going", instanceId, abandoned);
            }
        } catch (RuntimeException e) {
            log.warn("scheduler instance {}: its running runs were not marked: {}", instanceId, e.getMessage());
        }
    }
}
