package io.slipway.controller.heroku;

import io.slipway.api.AddonView;
import io.slipway.api.PgInfoView;
import io.slipway.controller.addons.AddonService;
import io.slipway.controller.addons.BackupService;
import io.slipway.controller.addons.Psql;
import io.slipway.controller.addons.Sizes;
import io.slipway.controller.app.App;
import io.slipway.controller.app.AppService;
import io.slipway.controller.auth.BearerAuth;
import io.slipway.controller.http.ApiException;
import io.slipway.controller.http.JsonIO;
import io.slipway.controller.http.Routes;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The database half of Heroku's Data API, which the Heroku CLI reaches at {@code HEROKU_DATA_HOST}
 * with the API's own scheme, port and token (so that host is the API's): a PostgreSQL add-on's
 * {@code pg:info} rows, {@code pg:backups:capture} and {@code :restore}, its bastion (where
 * {@code pg:psql} is told what to run instead), and {@code redis:info}'s rows of a Redis add-on.
 */
public final class HerokuDatabases {
    static final DateTimeFormatter CREATED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);
    /** The {@code to_url} {@link HerokuTransfers} gives a backup: the API's own download of it. */
    private static final Pattern BACKUP_URL = Pattern.compile("/apps/([^/]+)/backups/(b\\d+)/download$");

    private final AppService apps;
    private final AddonService addons;
    private final Psql psql;
    private final BackupService backups;
    private final Function<App, ? extends Map<String, String>> configs;

    /** @param configs an app's config vars ({@code resource_url} is the value of one of them) */
    public HerokuDatabases(AppService apps, AddonService addons, Psql psql, BackupService backups,
                           Function<App, ? extends Map<String, String>> configs) {
        this.apps = apps;
        this.addons = addons;
        this.psql = psql;
        this.backups = backups;
        this.configs = configs;
    }

    record Located(App owner, AddonView addon) {}

    public record Row(String name, List<String> values) {}

    public record Database(String addonId, String name, String resourceUrl, String plan, List<Row> info) {}

    public record Redis(String name, String resourceUrl, String plan, List<Row> info) {}

    public record RestoreRequest(String backupUrl, List<String> extensions) {}

    public void register(RoutingHandler routes) {
        routes.get("/client/v11/databases/{id}", ex -> JsonIO.send(ex, 200, database(find(ex, "postgres"))));
        routes.get("/client/v11/databases/{id}/bastion", ex -> {
            AddonView db = find(ex, "postgres").addon();
            throw new ApiException(422, "unsupported", db.name() + " is reachable only from " + db.app()
                    + "'s dynos (it is on the app's private network), so a psql on this machine cannot connect to it: "
                    + "run `slipway pg:psql -a " + db.app() + "`, which runs psql inside " + db.name()
                    + " (add -c 'select 1' for one command)");
        });
        routes.post("/client/v11/databases/{id}/backups", ex -> {
            Located db = find(ex, "postgres");
            var taken = backups().capture(db.owner(), db.addon().name(), BearerAuth.principal(ex).name());
            JsonIO.send(ex, 201, HerokuTransfers.backup(taken, db.owner(), List.of(db.addon()), HerokuTransfers.base(ex)));
        });
        routes.post("/client/v11/databases/{id}/restores", this::restore);
        routes.get("/redis/v0/databases/{id}", ex -> JsonIO.send(ex, 200, redis(find(ex, "redis").addon())));
    }

    private BackupService backups() {
        if (backups == null) {
            throw new ApiException(422, "unsupported", "this platform keeps no backups (its controller runs without them)");
        }
        return backups;
    }

    /** The add-on a Data API path names, by the id the Platform API answers or by name, of {@code service}. */
    private Located find(HttpServerExchange ex, String service) {
        String id = Routes.param(ex, "id");
        for (App app : apps.list()) {
            for (AddonView a : addons.list(app)) {
                if (a.service().equals(service) && a.app().equals(app.name().value())
                        && (a.name().equals(id) || HerokuAddons.addonId(a.name()).equals(id))) {
                    return new Located(app, a);
                }
            }
        }
        throw ApiException.notFound("no " + service + " add-on '" + id + "'; `heroku addons -a APP` lists an app's add-ons");
    }

    private Database database(Located db) {
        AddonView a = db.addon();
        if (a.state().equals("creating")) {
            // Heroku's 404 for a database still provisioning: the CLI says so and to wait.
            throw ApiException.notFound(a.name() + " is being created");
        }
        PgInfoView info = psql.info(db.owner(), addons).stream().filter(i -> i.name().equals(a.name())).findFirst()
                .orElseThrow(() -> ApiException.notFound(a.name() + " is not attached to " + db.owner().name()));
        String plan = HerokuAddons.plan(a).name();
        String planName = plan.substring(plan.indexOf(':') + 1);
        List<Row> rows = new java.util.ArrayList<>(List.of(
                row("Plan", planName),
                row("Status", info.state().equals("available") ? "Available" : info.state())));
        if (info.serverVersion() != null) {
            rows.add(row("Connections", info.connections().toString()));
            rows.add(row("PG Version", info.serverVersion()));
            rows.add(row("Created", CREATED.format(a.createdAt())));
            rows.add(row("Data Size", Sizes.of(info.sizeBytes())));
            rows.add(row("Tables", info.tables().toString()));
        }
        return new Database(HerokuAddons.addonId(a.name()), a.name(), url(db.owner(), a), planName, rows);
    }

    /** The URL the owner's config holds for it: the CLI names the database by the config var that has this value. */
    private String url(App owner, AddonView a) {
        return a.attachments().stream().filter(t -> t.app().equals(owner.name().value())).findFirst()
                .map(t -> configs.apply(owner).get(t.configVar())).orElse(null);
    }

    private Redis redis(AddonView a) {
        String plan = HerokuAddons.plan(a).name();
        List<Row> rows = List.of(row("Plan", plan.substring(plan.indexOf(':') + 1)), row("Status", a.state()),
                row("Version", a.version()), row("Created", CREATED.format(a.createdAt())),
                row("Data Size", Sizes.of(a.sizeBytes())));
        return new Redis(a.name(), null, plan, rows);
    }

    /**
     * {@code pg:backups:restore}: the CLI confirmed the app already and sends the backup's {@code to_url};
     * Slipway restores its own backups, each into the add-on it was taken of.
     */
    private void restore(HttpServerExchange ex) {
        Located db = find(ex, "postgres");
        RestoreRequest body = JsonIO.read(ex, RestoreRequest.class);
        if (body != null && body.extensions() != null && !body.extensions().isEmpty()) {
            throw new ApiException(422, "unsupported", "Slipway does not pre-install extensions on restore yet; "
                    + "restore without --extensions and create them afterwards with slipway pg:psql");
        }
        Matcher m = BACKUP_URL.matcher(body == null || body.backupUrl() == null ? "" : body.backupUrl());
        if (!m.find()) {
            throw new ApiException(422, "unsupported", "Slipway restores its own backups only (b001 or APP::b001), not "
                    + (body == null ? "nothing" : "'" + body.backupUrl() + "'") + "; to load a dump from elsewhere, "
                    + "pipe it into pg_restore through slipway pg:psql -a " + db.owner().name());
        }
        App from = apps.get(m.group(1));
        var backup = backups().info(from, m.group(2));
        if (!backup.addon().equals(db.addon().name())) {
            throw new ApiException(422, "unsupported", "Slipway restores a backup into the add-on it was taken of: "
                    + backup.id() + " is of " + backup.addon() + ", not " + db.addon().name()
                    + "; restore it to " + backup.addon());
        }
        var restore = backups().restore(from, backup.id(), from.name().value(), BearerAuth.principal(ex).name());
        JsonIO.send(ex, 201, HerokuTransfers.restore(restore, 0, backup, List.of(db.addon()), from));
    }

    private static Row row(String name, String value) {
        return new Row(name, List.of(value));
    }
}
