package io.slipway.controller.addons;

import io.slipway.controller.docker.Networks;

import io.slipway.controller.app.AppService;
import io.slipway.controller.config.ConfigService;
import io.slipway.controller.db.Database;
import io.slipway.controller.docker.DockerEngine;
import io.undertow.server.RoutingHandler;
import io.slipway.controller.logs.LogSink;
import io.slipway.controller.schedule.ScheduleService;
import java.nio.file.Path;
import java.util.Map;

/** The add-ons feature wired together: what {@code Controller} needs of it (its service and its routes). */
public final class Addons {
    private final AddonService service;
    private final AddonRoutes routes;
    private final BackupRoutes backupRoutes;
    private final Psql psql;
    private final BackupService backups;

    private Addons(AddonService service, AddonRoutes routes, BackupRoutes backupRoutes, Psql psql, BackupService backups) {
        this.service = service;
        this.routes = routes;
        this.backupRoutes = backupRoutes;
        this.psql = psql;
        this.backups = backups;
    }

    /** {@code buildpacksDir} holds the service images' definitions ({@code services/}) and the base's ({@code stack/base}). */
    public static Addons wire(Database db, AppService apps, ConfigService config, DockerEngine docker, String platform,
                              Networks networks, Path buildpacksDir) {
        return wire(db, apps, config, docker, platform, networks, buildpacksDir, null, LogSink.NULL, Map.of(), null);
    }

    /**
     * With backups: stored under {@code SLIPWAY_BACKUP_DIR} of {@code env} (default {@code home/backups}, checked
     * writable now), scheduled through {@code schedules}, told in the apps' logs.
     */
    public static Addons wire(Database db, AppService apps, ConfigService config, DockerEngine docker, String platform,
                              Networks networks, Path buildpacksDir, ScheduleService schedules, LogSink logs,
                              Map<String, String> env, Path home) {
        AddonStore store = new AddonStore(db);
        AddonContainers containers = new AddonContainers(docker, platform);
        AddonProvisioner provisioner = new AddonProvisioner(store, apps, config, containers,
                new ServiceImages(docker, buildpacksDir), networks, System::nanoTime);
        AddonService service = new AddonService(store, apps, config, containers, provisioner);
        Psql psql = new Psql(store, containers);
        AddonRoutes routes = new AddonRoutes(apps, service, psql);
        if (schedules == null) {
            return new Addons(service, routes, null, psql, null);
        }
        BackupStore backupStore = new BackupStore(db);
        BackupFiles files = BackupFiles.open(env, home);
        BackupService backups = new BackupService(backupStore, store, psql, containers, files, logs);
        BackupSchedules backupSchedules = new BackupSchedules(backupStore, store, apps, psql, backups, files, schedules, logs);
        service.backups(backups, backupSchedules, new AddonWatch(store, containers, schedules, logs, service::ownerName));
        return new Addons(service, routes, new BackupRoutes(apps, backups, backupSchedules), psql, backups);
    }

    public AddonService service() {
        return service;
    }

    public Psql psql() {
        return psql;
    }

    /** Null when wired without backups. */
    public BackupService backups() {
        return backups;
    }

    public void register(RoutingHandler table) {
        routes.register(table);
        if (backupRoutes != null) {
            backupRoutes.register(table);
        }
    }
}
