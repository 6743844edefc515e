package io.slipway.controller.heroku;

import io.slipway.api.AddonView;
import io.slipway.api.BackupView;
import io.slipway.api.RestoreView;
import io.slipway.controller.addons.AddonService;
import io.slipway.controller.addons.BackupService;
import io.slipway.controller.app.App;
import io.slipway.controller.app.AppService;
import io.slipway.controller.http.ApiException;
import io.slipway.controller.http.JsonIO;
import io.slipway.controller.http.Routes;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.util.Headers;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Backups and restores as the Data API's transfers ({@code pg:backups}, the progress
 * {@code pg:backups:capture} and {@code :restore} poll, {@code :download}'s public URL). Slipway's
 * backups keep their names: {@code b001} is transfer 1; restores are numbered per app ({@code r001}).
 * A public URL holds a random secret, good for {@link #VALID_FOR}, under {@link #DOWNLOADS} on the
 * API's HTTPS listener (the CLI fetches it with https only), where the file is served once checked.
 */
public final class HerokuTransfers {
    /** Open in the auth chain: the URL's secret is its credential, as Heroku's public backup URLs. */
    public static final String DOWNLOADS = "/backup-downloads/";
    static final Duration VALID_FOR = Duration.ofMinutes(10);

    private record Grant(String app, String backup, Instant expires) {}

    public record Log(Instant createdAt, String message) {}

    /** Heroku's transfer: from a database ({@code pg_dump}) to storage ({@code gof3r}), or back ({@code pg_restore}). */
    public record Transfer(String uuid, int num, String fromName, String fromType, String toName, String toType,
                           String toUrl, Instant createdAt, Instant startedAt, Instant finishedAt, boolean succeeded,
                           long processedBytes, long sourceBytes, int warnings, String schedule, Map<String, String> options,
                           List<Log> logs) {}

    public record PublicUrl(String url, Instant expiresAt) {}

    private final AppService apps;
    private final AddonService addons;
    private final BackupService backups;
    private final HerokuSettings settings;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Grant> grants = new ConcurrentHashMap<>();

    public HerokuTransfers(AppService apps, AddonService addons, BackupService backups, HerokuSettings settings, Clock clock) {
        this.apps = apps;
        this.addons = addons;
        this.backups = backups;
        this.settings = settings;
        this.clock = clock;
    }

    public void register(RoutingHandler routes) {
        routes.get("/client/v11/apps/{app}/transfers", ex -> JsonIO.send(ex, 200, all(app(ex), base(ex))));
        routes.get("/client/v11/apps/{app}/transfers/{id}", ex -> {
            App app = app(ex);
            String id = Routes.param(ex, "id");
            JsonIO.send(ex, 200, all(app, base(ex)).stream()
                    .filter(t -> t.uuid().equals(id) || (t.toType().equals("gof3r") && id.equals(Integer.toString(t.num()))))
                    .findFirst().orElseThrow(() -> ApiException.notFound("no transfer '" + id + "' on " + app.name()
                            + "; `heroku pg:backups -a " + app.name() + "` lists them")));
        });
        routes.post("/client/v11/apps/{app}/transfers/{num}/actions/public-url", this::publicUrl);
        routes.get(DOWNLOADS + "{secret}", this::download);
    }

    /** The app a Data API path names: by name or id, or by the id the Platform API's Heroku shapes give it. */
    private App app(HttpServerExchange ex) {
        String given = Routes.param(ex, "app");
        return apps.find(given).or(() -> apps.list().stream().filter(a -> HerokuAddons.appId(a.name().value()).equals(given))
                .findFirst()).orElseGet(() -> apps.get(given));
    }

    private List<Transfer> all(App app, String base) {
        if (backups == null) {
            return List.of();
        }
        List<AddonView> on = addons.list(app);
        List<Transfer> out = new ArrayList<>();
        backups.list(app).forEach(b -> out.add(backup(b, app, on, base)));
        List<RestoreView> restores = backups.restores(app);
        for (int i = 0; i < restores.size(); i++) {
            RestoreView r = restores.get(i);
            out.add(restore(r, i + 1, backups.info(app, r.backup()), on, app));
        }
        return out;
    }

    static Transfer backup(BackupView b, App app, List<AddonView> on, String base) {
        boolean done = b.status().equals("done");
        List<Log> logs = b.finishedAt() == null ? List.of() : List.of(new Log(b.finishedAt(), done
                ? "backup done: " + b.sizeBytes() + " bytes, verified by pg_restore, sha256 " + b.sha256()
                : "backup failed: " + b.failure()));
        return new Transfer(uuid("backup", app.id() + "/" + b.id()), Integer.parseInt(b.id().substring(1)),
                attachmentName(b.addon(), app, on), "pg_dump", "BACKUP", "gof3r",
                base + "/apps/" + app.name() + "/backups/" + b.id() + "/download", b.startedAt(), b.startedAt(),
                b.finishedAt(), done, b.sizeBytes() == null ? 0 : b.sizeBytes(), b.sizeBytes() == null ? 0 : b.sizeBytes(),
                0, null, Map.of(), logs);
    }

    static Transfer restore(RestoreView r, int num, BackupView from, List<AddonView> on, App app) {
        long size = from.sizeBytes() == null ? 0 : from.sizeBytes();
        List<Log> logs = r.message() == null ? List.of() : List.of(new Log(r.finishedAt() == null ? r.startedAt() : r.finishedAt(),
                r.message()));
        return new Transfer(r.id(), num, r.backup(), "gof3r", attachmentName(r.addon(), app, on), "pg_restore", null,
                r.startedAt(), r.startedAt(), r.finishedAt(), r.status().equals("done"), size, size, 0, null, Map.of(), logs);
    }

    /** What Heroku names a transfer's database by: its attachment on the app ({@code DATABASE}), else the add-on. */
    private static String attachmentName(String addon, App app, List<AddonView> on) {
        return on.stream().filter(a -> a.name().equals(addon)).flatMap(a -> a.attachments().stream())
                .filter(t -> t.app().equals(app.name().value())).map(AddonView.Attachment::name).findFirst().orElse(addon);
    }

    /** The URL the client reached the API by. */
    static String base(HttpServerExchange ex) {
        return ex.getRequestScheme() + "://" + ex.getRequestHeaders().getFirst(Headers.HOST);
    }

    private void publicUrl(HttpServerExchange ex) {
        App app = app(ex);
        String num = Routes.param(ex, "num");
        String label = num.matches("\\d{1,9}") ? String.format("b%03d", Integer.parseInt(num)) : num;
        if (backups == null) {
            throw ApiException.notFound("this platform keeps no backups");
        }
        backups.download(app, label); // refuses now, with its reason, what it would refuse at download
        if (settings.apiTlsPort().isEmpty()) {
            throw ApiException.conflict("a backup's public URL is served over HTTPS, and this platform's API has no HTTPS "
                    + "listener (SLIPWAY_API_TLS_PORT=off); download it with slipway pg:backups:download " + label
                    + " -a " + app.name());
        }
        Instant now = clock.instant();
        grants.values().removeIf(g -> g.expires().isBefore(now));
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        grants.put(secret, new Grant(app.name().value(), label, now.plus(VALID_FOR)));
        JsonIO.send(ex, 201, new PublicUrl("https://" + settings.domain() + ":" + settings.apiTlsPort().getAsInt()
                + DOWNLOADS + secret, now.plus(VALID_FOR)));
    }

    private void download(HttpServerExchange ex) throws Exception {
        Grant grant = grants.get(Routes.param(ex, "secret"));
        if (grant == null || grant.expires().isBefore(clock.instant())) {
            throw ApiException.notFound("no such backup URL, or it expired: one is good for " + VALID_FOR.toMinutes()
                    + " minutes; ask for a new one (heroku pg:backups:url)");
        }
        Path file = backups.download(apps.get(grant.app()), grant.backup());
        ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/octet-stream");
        ex.getResponseHeaders().put(Headers.CONTENT_LENGTH, Files.size(file));
        ex.startBlocking();
        try (OutputStream out = ex.getOutputStream()) {
            Files.copy(file, out);
        }
    }

    private static String uuid(String kind, String name) {
        return UUID.nameUUIDFromBytes(("slipway-" + kind + ":" + name).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
