package io.slipway.controller.addons;

import io.slipway.api.BackupScheduleView;
import io.slipway.api.ScheduleBackups;
import io.slipway.controller.app.App;
import io.slipway.controller.app.AppService;
import io.slipway.controller.http.ApiException;
import io.slipway.controller.logs.LogSink;
import io.slipway.controller.schedule.Cron;
import io.slipway.controller.schedule.ScheduleService;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Daily backups of an add-on through the platform's Quartz scheduler (clustered on the platform's
 * database, so a slot fires on one controller), with retention: after a scheduled backup is done,
 * the add-on's scheduled backups beyond the newest {@code keep} go, files and rows. Manual
 * backups and addons:destroy's last one are never pruned.
 */
final class BackupSchedules {
    private static final Logger log = LoggerFactory.getLogger(BackupSchedules.class);
    static final String GROUP = "addon-backups";
    private static final int DEFAULT_KEEP = 7;

    private final BackupStore store;
    private final AddonStore addons;
    private final AppService apps;
    private final Psql psql;
    private final BackupService backups;
    private final BackupFiles files;
    private final ScheduleService scheduler;
    private final LogSink logs;

    BackupSchedules(BackupStore store, AddonStore addons, AppService apps, Psql psql, BackupService backups,
                    BackupFiles files, ScheduleService scheduler, LogSink logs) {
        this.store = store;
        this.addons = addons;
        this.apps = apps;
        this.psql = psql;
        this.backups = backups;
        this.files = files;
        this.scheduler = scheduler;
        this.logs = logs;
        scheduler.timer(GROUP, (name, at) -> Thread.ofVirtual().name("backup-schedule-" + name)
                .start(() -> fire(UUID.fromString(name), at)));
    }

    /** {@code pg:backups:schedule --at 02:00 --tz Europe/Paris --keep 7}: replaces the add-on's schedule if it had one. */
    BackupScheduleView schedule(App app, ScheduleBackups req, String by) {
        if (req == null || req.at() == null || !req.at().strip().matches("([01]?\\d|2[0-3]):[0-5]\\d")) {
            throw ApiException.invalid("say when, as HH:MM in 24 hours: --at '02:00'" + (req == null || req.at() == null
                    ? "" : " ('" + req.at() + "' is not)"));
        }
        String[] hm = req.at().strip().split(":");
        String at = String.format("%02d:%s", Integer.parseInt(hm[0]), hm[1]);
        Cron cron = Cron.parse(Integer.parseInt(hm[1]) + " " + Integer.parseInt(hm[0]) + " * * *");
        return schedule(app, psql.resolve(app, req.database()), cron, at, zone(req.timezone()),
                req.keep() == null ? DEFAULT_KEEP : req.keep(), by);
    }

    /** As above with a cron as it is: tests pass seconds-level Quartz ones. */
    BackupScheduleView schedule(App app, Addon addon, Cron cron, String at, ZoneId zone, int keep, String by) {
        if (keep < 1 || keep > 365) {
            throw ApiException.invalid("--keep must be from 1 to 365 (the scheduled backups kept), not " + keep);
        }
        BackupStore.Plan plan = new BackupStore.Plan(addon.id(), app.id(), at, cron.quartz(), zone.getId(), keep, by);
        store.plan(plan);
        scheduler.plan(GROUP, addon.id().toString(), cron, zone);
        String text = "Backups of " + addon.name() + " scheduled daily at " + at + " " + zone.getId() + ", keeping "
                + keep + ", by " + by;
        log.info("app={} addon={} {}", app.name(), addon.name(), text);
        logs.event(app.name().value(), "backups", text);
        return view(plan, addon.name(), cron);
    }

    List<BackupScheduleView> list(App app) {
        return store.plansOf(app.id()).stream().map(p -> view(p, addons.find(p.addonId()).map(Addon::name).orElse("?"),
                cronOf(p))).toList();
    }

    BackupScheduleView unschedule(App app, String database, String by) {
        Addon addon = psql.resolve(app, database);
        BackupStore.Plan plan = store.plan(addon.id()).orElseThrow(() -> ApiException.notFound(addon.name()
                + " has no backup schedule; 'slipway pg:backups:schedules -a " + app.name() + "' lists the app's"));
        forget(addon.id());
        logs.event(app.name().value(), "backups", "Backup schedule of " + addon.name() + " removed by " + by);
        return view(plan, addon.name(), cronOf(plan));
    }

    /** The add-on is destroyed: no more backups of it. */
    void forget(UUID addonId) {
        store.unplan(addonId);
        scheduler.unplan(GROUP, addonId.toString());
    }

    /** At start, before the scheduler: every stored schedule has its Quartz trigger. */
    void start() {
        for (BackupStore.Plan p : store.plans()) {
            scheduler.plan(GROUP, p.addonId().toString(), cronOf(p), ZoneId.of(p.timezone()));
        }
    }

    private void fire(UUID addonId, Instant scheduledFor) {
        try {
            var plan = store.plan(addonId);
            var addon = addons.find(addonId);
            if (plan.isEmpty() || addon.isEmpty()) {
                forget(addonId);
                return;
            }
            String app = apps.find(plan.get().appId().toString()).map(a -> a.name().value()).orElse(null);
            if (app == null) {
                forget(addonId);
                return;
            }
            Backup b = backups.captureNow(app, plan.get().appId(), addon.get(), Backup.Trigger.SCHEDULE,
                    "schedule (" + scheduledFor + ")");
            if (b.state() == Backup.State.DONE) {
                prune(app, addon.get(), plan.get().keep());
            }
        } catch (RuntimeException e) {
            log.error("addon={} scheduled backup for {} failed: {}", addonId, scheduledFor, e.getMessage(), e);
        }
    }

    private void prune(String app, Addon addon, int keep) {
        List<Backup> old = store.beyond(addon.id(), keep);
        for (Backup b : old) {
            files.delete(b);
            store.delete(b.id());
        }
        if (!old.isEmpty()) {
            logs.event(app, "backups", "Backups of " + addon.name() + " pruned, keeping the newest " + keep + " scheduled: "
                    + old.stream().map(Backup::label).collect(Collectors.joining(", ")) + " deleted");
        }
    }

    private Cron cronOf(BackupStore.Plan p) {
        return new Cron(p.cron(), p.cron());
    }

    private BackupScheduleView view(BackupStore.Plan p, String addon, Cron cron) {
        ZoneId zone = ZoneId.of(p.timezone());
        return new BackupScheduleView(addon, p.at(), p.timezone(), p.keep(), scheduler.next(cron, zone).orElse(null),
                p.createdBy());
    }

    private static ZoneId zone(String text) {
        if (text == null || text.isBlank()) {
            return ZoneId.of("UTC");
        }
        if (!ZoneId.getAvailableZoneIds().contains(text.strip())) {
            throw ApiException.invalid("unknown timezone '" + text + "': use an IANA time zone id such as UTC, "
                    + "Europe/Paris or America/New_York");
        }
        return ZoneId.of(text.strip());
    }
}
