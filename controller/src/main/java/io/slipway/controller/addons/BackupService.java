package io.slipway.controller.addons;

import io.slipway.api.BackupView;
import io.slipway.api.RestoreView;
import io.slipway.controller.app.App;
import io.slipway.controller.http.ApiException;
import io.slipway.controller.logs.LogSink;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backups of PostgreSQL add-ons, as Heroku's pg:backups: captured in the background (a backup is
 * {@code running} until it is whole and verified, then {@code done}, or {@code failed} with why,
 * an event in the app's log), listed per app as b001, b002 …, restored (once its file is checked
 * against its SHA-256) and downloaded. Keyed on the add-on's id: a destroyed add-on's backups stay
 * until deleted or until their app is destroyed.
 */
public final class BackupService {
    private static final Logger log = LoggerFactory.getLogger(BackupService.class);
    private static final List<String> RESTORE = List.of("pg_restore", "--clean", "--if-exists", "--no-owner", "--no-acl",
            "--single-transaction", "-d");

    private final BackupStore store;
    private final AddonStore addons;
    private final Psql psql;
    private final AddonContainers containers;
    private final ExecStreams streams;
    private final BackupFiles files;
    private final BackupCapture capture;
    private final LogSink logs;

    BackupService(BackupStore store, AddonStore addons, Psql psql, AddonContainers containers, BackupFiles files,
                  LogSink logs) {
        this.store = store;
        this.addons = addons;
        this.psql = psql;
        this.containers = containers;
        this.streams = new ExecStreams(containers);
        this.files = files;
        this.capture = new BackupCapture(streams, files);
        this.logs = logs;
    }

    /** Starts a backup of the app's PostgreSQL add-on {@code database} (DATABASE's when null); it runs in the background. */
    public BackupView capture(App app, String database, String by) {
        Addon addon = psql.resolve(app, database);
        Backup backup = store.begin(app.id(), addon, Backup.Trigger.MANUAL, by);
        Thread.ofVirtual().name("backup-" + app.name() + "-" + backup.label()).start(() -> take(app.name().value(), addon, backup));
        return view(backup, app.name().value());
    }

    /** Takes a backup now, on this thread (a scheduled one); failed ones are recorded and returned too. */
    Backup captureNow(String app, UUID appId, Addon addon, Backup.Trigger trigger, String by) {
        return takeNow(app, addon, begin(appId, addon, trigger, by));
    }

    /** A new running backup, numbered, not yet taken: addons:destroy names it before it takes it ({@link #takeNow}). */
    Backup begin(UUID appId, Addon addon, Backup.Trigger trigger, String by) {
        return store.begin(appId, addon, trigger, by);
    }

    /** Takes a begun backup on this thread; its stored outcome (done, or failed with why) is returned. */
    Backup takeNow(String app, Addon addon, Backup backup) {
        take(app, addon, backup);
        return store.find(backup.id()).orElseThrow();
    }

    /** A begun backup that will not be taken (its destroy lost a race): its row goes; it has no file yet. */
    void discard(Backup backup) {
        store.delete(backup.id());
    }

    /** The newest of addons:destroy's last backups of the add-on, if it has one. */
    Optional<Backup> lastDestroyBackup(UUID addonId) {
        return store.lastOf(addonId, Backup.Trigger.DESTROY);
    }

    private void take(String app, Addon addon, Backup backup) {
        event(app, "Backup " + backup.label() + " of " + addon.name() + " started by " + backup.createdBy());
        long start = System.nanoTime();
        try {
            var observed = containers.find(addon);
            if (observed.map(o -> !o.running()).orElse(true)) {
                throw new BackupCapture.Failed(addon.name() + " is not running (its container is "
                        + observed.map(AddonContainers.Observed::status).orElse("missing") + "): nothing was dumped");
            }
            BackupCapture.Taken taken = capture.take(addon, backup);
            store.done(backup.id(), taken.size(), taken.sha256());
            event(app, "Backup " + backup.label() + " of " + addon.name() + " done: " + Sizes.of(taken.size())
                    + ", verified, sha256 " + taken.sha256().substring(0, 12) + " (" + millis(start) + " ms)");
        } catch (BackupCapture.Failed | RuntimeException e) {
            String why = e.getMessage() == null ? e.toString() : e.getMessage();
            store.failed(backup.id(), why);
            log.warn("app={} addon={} backup={} failed: {}", app, addon.name(), backup.label(), why);
            event(app, "Backup " + backup.label() + " of " + addon.name() + " FAILED: " + why);
        }
    }

    public List<BackupView> list(App app) {
        return store.ofApp(app.id()).stream().map(b -> view(b, app.name().value())).toList();
    }

    public BackupView info(App app, String id) {
        return view(get(app, id), app.name().value());
    }

    /**
     * Replaces the add-on's data with the backup's, once {@code confirm} names the app and the file
     * is exactly what was verified; the restore runs in the background ({@link #restoreStatus}).
     */
    public RestoreView restore(App app, String id, String confirm, String by) {
        Backup backup = get(app, id);
        if (confirm == null || !confirm.equals(app.name().value())) {
            throw new ApiException(422, "confirmation_required", "restoring " + backup.label() + " replaces the data of "
                    + backup.addonName() + ": " + (confirm == null ? "" : "'" + confirm + "' is not the app; ")
                    + "confirm with --confirm " + app.name());
        }
        Addon addon = addonOf(backup).orElseThrow(() -> ApiException.conflict(backup.addonName() + ", the add-on "
                + backup.label() + " was taken of, was destroyed; download the backup (slipway pg:backups:download "
                + backup.label() + " -a " + app.name() + " -o " + app.name() + ".dump) and restore it with pg_restore"));
        if (containers.find(addon).map(o -> !o.running()).orElse(true)) {
            throw ApiException.conflict(addon.name() + " is not running; nothing was restored");
        }
        Path file = checkedFile(backup);
        BackupStore.Restore restore = store.beginRestore(backup.id(), by);
        event(app.name().value(), "Restore of " + backup.label() + " into " + addon.name() + " started by " + by);
        Thread.ofVirtual().name("restore-" + app.name() + "-" + backup.label()).start(() -> {
            long start = System.nanoTime();
            String outcome;
            boolean ok = false;
            try (var fed = streams.feed(addon, concat(RESTORE, addon.database()))) {
                try (InputStream in = Files.newInputStream(file)) {
                    in.transferTo(fed.stdin());
                } catch (IOException stoppedReading) {
                    // pg_restore ended early (an error): its outcome says why
                }
                ExecStreams.Outcome r = fed.finish();
                ok = r.ok();
                outcome = ok ? "replaced the data of " + addon.name() + " (database " + addon.database() + ") with "
                        + backup.label() + " taken " + backup.startedAt() + " (" + Sizes.of(backup.sizeBytes()) + ", "
                        + tables(addon) + ") in " + millis(start) + " ms"
                        : "pg_restore failed (" + r.describe() + "); it ran in one transaction, so " + addon.name()
                        + " is as it was";
            } catch (IOException | RuntimeException e) {
                outcome = "could not run pg_restore in " + addon.name() + ": " + e.getMessage();
            }
            store.endRestore(restore.id(), ok, outcome);
            event(app.name().value(), "Restore of " + backup.label() + (ok ? " done: " : " FAILED: ") + outcome);
        });
        return restoreView(store.restore(restore.id()).orElseThrow());
    }

    public RestoreView restoreStatus(App app, String restoreId) {
        UUID id;
        try {
            id = UUID.fromString(restoreId);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("no restore '" + restoreId + "' on " + app.name());
        }
        BackupStore.Restore r = store.restore(id).filter(x -> store.find(x.backupId()).map(b -> b.appId().equals(app.id()))
                .orElse(false)).orElseThrow(() -> ApiException.notFound("no restore '" + restoreId + "' on " + app.name()));
        return restoreView(r);
    }

    /** The restores of the app's backups, oldest first. */
    public List<RestoreView> restores(App app) {
        return store.restoresOf(app.id()).stream().map(this::restoreView).toList();
    }

    /** The backup's file, for download, once it is checked against its SHA-256. */
    public Path download(App app, String id) {
        return checkedFile(get(app, id));
    }

    /** Deletes a backup, its file and its row. */
    public BackupView delete(App app, String id, String by) {
        Backup backup = get(app, id);
        if (backup.state() == Backup.State.RUNNING) {
            throw ApiException.conflict(backup.label() + " is still running; delete it once it is done or failed");
        }
        files.delete(backup);
        store.delete(backup.id());
        event(app.name().value(), "Backup " + backup.label() + " of " + backup.addonName() + " deleted by " + by);
        return view(backup, app.name().value());
    }

    /** After a controller start: backups and restores that were running when it stopped failed; their partial files go. */
    void start() {
        for (Backup b : store.abandoned()) {
            files.delete(b);
            store.failed(b.id(), "the controller stopped while this backup ran; take another");
        }
        store.abandonRestores("the controller stopped while this restore ran; pg_restore ran in one transaction, "
                + "so the add-on is either as it was or fully restored: check it, and restore again if need be");
    }

    void appDestroyed(App app) {
        files.deleteApp(app.id());
    }

    /** The file of a done backup whose bytes are exactly what was verified: a truncated or altered one is refused. */
    private Path checkedFile(Backup backup) {
        if (backup.state() != Backup.State.DONE) {
            throw ApiException.conflict(backup.label() + " is " + backup.state().name().toLowerCase()
                    + (backup.failure() == null ? "" : " (" + backup.failure() + ")") + "; only a done backup can be used");
        }
        Path file = files.file(backup);
        try {
            long size = Files.size(file);
            String sha = BackupFiles.sha256(file);
            if (size != backup.sizeBytes() || !sha.equals(backup.sha256())) {
                throw new ApiException(409, "backup_corrupt", backup.label() + "'s file " + file + " is not the one that was "
                        + "verified: " + size + " bytes with SHA-256 " + sha + ", expected " + backup.sizeBytes()
                        + " bytes with SHA-256 " + backup.sha256() + " (" + (size < backup.sizeBytes() ? "truncated" : "altered")
                        + "); refused, nothing was changed. Use another backup or take a new one");
            }
        } catch (IOException e) {
            throw new ApiException(409, "backup_corrupt", backup.label() + "'s file cannot be read (" + e.getMessage()
                    + "); refused, nothing was changed");
        }
        return file;
    }

    Backup get(App app, String id) {
        String given = id == null ? "" : id.strip().toLowerCase();
        Optional<Backup> found = given.matches("b\\d{1,9}") ? store.find(app.id(), Integer.parseInt(given.substring(1)))
                : Optional.empty();
        return found.orElseThrow(() -> ApiException.notFound("backup '" + id + "' does not exist on " + app.name()
                + "; 'slipway pg:backups -a " + app.name() + "' lists them"));
    }

    private Optional<Addon> addonOf(Backup b) {
        return addons.find(b.addonId());
    }

    private String tables(Addon addon) {
        var r = containers.exec(addon, List.of("psql", "-XAtqc", "select count(*) from pg_stat_user_tables"),
                Duration.ofSeconds(10));
        return r.exitCode() == 0 ? r.stdout().strip() + " tables" : "tables unknown";
    }

    void event(String app, String text) {
        log.info("app={} {}", app, text);
        logs.event(app, "backups", text);
    }

    BackupView view(Backup b, String app) {
        boolean destroyed = addonOf(b).isEmpty();
        return new BackupView(b.label(), app, b.addonName(), destroyed, b.trigger().name().toLowerCase(),
                b.state().name().toLowerCase(), b.failure(), b.sizeBytes(), b.sha256(), b.state() == Backup.State.DONE,
                b.startedAt(), b.finishedAt(), b.createdBy());
    }

    private RestoreView restoreView(BackupStore.Restore r) {
        Backup b = store.find(r.backupId()).orElseThrow();
        return new RestoreView(r.id().toString(), b.label(), b.addonName(), r.state(), r.message(), r.startedAt(), r.finishedAt());
    }

    private static List<String> concat(List<String> a, String b) {
        List<String> out = new java.util.ArrayList<>(a);
        out.add(b);
        return out;
    }

    private static long millis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
