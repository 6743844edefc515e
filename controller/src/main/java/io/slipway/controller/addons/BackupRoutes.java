package io.slipway.controller.addons;

import io.slipway.api.CaptureBackup;
import io.slipway.api.ScheduleBackups;
import io.slipway.controller.app.App;
import io.slipway.controller.app.AppService;
import io.slipway.controller.auth.BearerAuth;
import io.slipway.controller.http.JsonIO;
import io.slipway.controller.http.Routes;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.util.Headers;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code /apps/{app}/backups} (list, capture), {@code /apps/{app}/backups/{id}} (info, delete),
 * {@code …/{id}/restores} (restore), {@code …/{id}/download} (the file, once checked),
 * {@code /apps/{app}/backup-restores/{id}} (a restore's progress) and
 * {@code /apps/{app}/backup-schedules} (list, set, remove).
 */
final class BackupRoutes {
    private final AppService apps;
    private final BackupService backups;
    private final BackupSchedules schedules;

    BackupRoutes(AppService apps, BackupService backups, BackupSchedules schedules) {
        this.apps = apps;
        this.backups = backups;
        this.schedules = schedules;
    }

    void register(RoutingHandler routes) {
        routes.get("/apps/{app}/backups", ex -> JsonIO.send(ex, 200, backups.list(app(ex))));
        routes.post("/apps/{app}/backups", ex -> {
            App app = app(ex);
            CaptureBackup body = JsonIO.read(ex, CaptureBackup.class);
            JsonIO.send(ex, 202, backups.capture(app, body == null ? null : body.database(), by(ex)));
        });
        routes.get("/apps/{app}/backups/{id}", ex -> JsonIO.send(ex, 200, backups.info(app(ex), id(ex))));
        routes.delete("/apps/{app}/backups/{id}", ex -> JsonIO.send(ex, 200, backups.delete(app(ex), id(ex), by(ex))));
        routes.post("/apps/{app}/backups/{id}/restores", ex -> JsonIO.send(ex, 202,
                backups.restore(app(ex), id(ex), AddonRoutes.query(ex, "confirm"), by(ex))));
        routes.get("/apps/{app}/backup-restores/{id}", ex -> JsonIO.send(ex, 200, backups.restoreStatus(app(ex), id(ex))));
        routes.get("/apps/{app}/backups/{id}/download", this::download);
        routes.get("/apps/{app}/backup-schedules", ex -> JsonIO.send(ex, 200, schedules.list(app(ex))));
        routes.post("/apps/{app}/backup-schedules", ex -> {
            App app = app(ex);
            JsonIO.send(ex, 200, schedules.schedule(app, JsonIO.read(ex, ScheduleBackups.class), by(ex)));
        });
        routes.delete("/apps/{app}/backup-schedules", ex -> JsonIO.send(ex, 200,
                schedules.unschedule(app(ex), AddonRoutes.query(ex, "database"), by(ex))));
    }

    /** The file as it is on disk, streamed, once its SHA-256 is what was verified (a refusal is the usual JSON error). */
    private void download(HttpServerExchange ex) throws Exception {
        Path file = backups.download(app(ex), id(ex));
        ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/octet-stream");
        ex.getResponseHeaders().put(Headers.CONTENT_LENGTH, Files.size(file));
        ex.startBlocking();
        try (OutputStream out = ex.getOutputStream()) {
            Files.copy(file, out);
        }
    }

    private App app(HttpServerExchange ex) {
        return apps.get(Routes.param(ex, "app"));
    }

    private static String id(HttpServerExchange ex) {
        return Routes.param(ex, "id");
    }

    private static String by(HttpServerExchange ex) {
        return BearerAuth.principal(ex).name();
    }
}
