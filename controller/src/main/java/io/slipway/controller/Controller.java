package io.slipway.controller;

import io.slipway.api.AppInfo;
import io.slipway.controller.app.App;
import io.slipway.controller.app.AppRoutes;
import io.slipway.controller.app.AppService;
import io.slipway.controller.auth.AccountRoutes;
import io.slipway.controller.auth.TokenService;
import io.slipway.controller.config.ConfigRoutes;
import io.slipway.controller.config.ConfigService;
import io.slipway.controller.db.Database;
import io.slipway.controller.db.DatabaseUrl;
import io.slipway.controller.db.EmbeddedPostgres;
import io.slipway.controller.http.ApiServer;
import io.slipway.controller.http.Routes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running controller: every service wired by hand, in dependency order, from one config. */
public final class Controller implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Controller.class);

    private final Database db;
    private final ApiServer api;

    private Controller(Database db, ApiServer api) {
        this.db = db;
        this.api = api;
    }

    public static Controller start(ControllerConfig config) {
        long started = System.nanoTime();
        prepareHome(config.home());
        DatabaseUrl url = config.databaseUrl()
                .orElseGet(() -> EmbeddedPostgres.underHome(config.home()).ensureRunning());
        Database db = Database.open(url, config.databaseTimeout(), Duration.ofSeconds(30));
        try {
            TokenService tokens = new TokenService(db);
            tokens.ensureAdminToken(config.home().resolve("admin-token"));
            AppService apps = new AppService(db);
            ConfigService configVars = new ConfigService(db);

            var routes = Routes.table();
            new HealthRoutes(db).register(routes);
            new AccountRoutes().register(routes);
            new AppRoutes(apps, app -> view(config, app)).register(routes);
            new ConfigRoutes(apps, configVars).register(routes);

            ApiServer api = ApiServer.start(config.bind(), config.apiPort(), tokens, Set.of(HealthRoutes.PATH), routes);
            log.info("controller {} listening on http://{}:{} (state: {}) in {} ms", BuildInfo.version(),
                    config.bind(), api.port(), url.describe(), (System.nanoTime() - started) / 1_000_000);
            return new Controller(db, api);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    public int apiPort() {
        return api.port();
    }

    private static AppInfo view(ControllerConfig config, App app) {
        String name = app.name().value();
        return new AppInfo(app.id().toString(), name, app.createdAt(), app.updatedAt(),
                config.webUrl(name), config.gitUrl(name));
    }

    private static void prepareHome(Path home) {
        try {
            if (!Files.isDirectory(home)) {
                Files.createDirectories(home, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create SLIPWAY_HOME " + home + ": " + e.getMessage(), e);
        }
    }

    /** Stops serving and releases the database pool; the data plane (dynos, embedded PostgreSQL) keeps running. */
    @Override
    public void close() {
        api.close();
        db.close();
        log.info("controller stopped");
    }
}
