package io.slipway.controller.heroku;

import io.slipway.api.AddonView;
import io.slipway.controller.addons.AddonService;
import io.slipway.controller.app.App;
import io.slipway.controller.app.AppService;
import io.slipway.controller.http.ApiException;
import io.slipway.controller.http.JsonIO;
import io.undertow.server.RoutingHandler;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Add-ons in Heroku's shape, for {@code heroku addons} and the add-ons line of {@code heroku apps:info}:
 * the service, a plan named {@code <service>:<version>} (Slipway has no plans), free, and Heroku's
 * state names; and {@code GET /addon-attachments}, which {@code heroku addons} joins them with.
 */
public final class HerokuAddons {
    private final AppService apps;
    private final AddonService addons;

    public HerokuAddons(AppService apps, AddonService addons) {
        this.apps = apps;
        this.addons = addons;
    }

    public record Ref(String id, String name) {}

    public record Price(int cents, String unit, boolean contract) {}

    public record Plan(String id, String name, Price price) {}

    public record BilledPrice(int cents, boolean contract) {}

    public record HerokuAddon(String id, String name, Ref app, Ref addonService, Plan plan, BilledPrice billedPrice,
                              String state, List<String> configVars, Instant createdAt, Instant updatedAt) {}

    public record AddonRef(String id, String name, Ref app, Plan plan) {}

    /** {@code namespace} is always null: Slipway has no credentials apart from the add-on's one. */
    public record HerokuAttachment(String id, String name, Ref app, AddonRef addon, List<String> configVars,
                                   String namespace) {}

    /** {@code POST /actions/addon-attachments/resolve}: what the Heroku CLI's add-on and database resolvers send. */
    public record Resolve(String addonAttachment, String app, String addonService) {}

    public void register(RoutingHandler routes) {
        routes.get("/addon-attachments", ex -> JsonIO.send(ex, 200, apps.list().stream()
                .flatMap(app -> addons.list(app).stream()).flatMap(a -> attachments(a).stream()).toList()));
        routes.get("/apps/{app}/addon-attachments", ex -> {
            App app = apps.get(io.slipway.controller.http.Routes.param(ex, "app"));
            JsonIO.send(ex, 200, attachmentsOn(app));
        });
        routes.post("/actions/addon-attachments/resolve", ex -> {
            Resolve asked = JsonIO.read(ex, Resolve.class);
            if (asked == null || asked.app() == null || asked.addonAttachment() == null) {
                throw ApiException.invalid("say which attachment of which app: {\"app\": \"shop\", \"addon_attachment\": \"DATABASE\"}");
            }
            JsonIO.send(ex, 200, resolve(attachmentsOn(apps.get(asked.app())), asked));
        });
    }

    private List<HerokuAttachment> attachmentsOn(App app) {
        return apps.list().stream().flatMap(owner -> addons.list(owner).stream()).flatMap(a -> attachments(a).stream())
                .filter(t -> t.app().name().equals(app.name().value())).toList();
    }

    /**
     * The app's attachments {@code asked} names, by attachment name (with or without {@code _URL}), add-on
     * name or either's id, as Heroku's resolver answers; none is Heroku's {@code not_found}, on which the
     * CLI falls back to config var names and says which databases there are.
     */
    static List<HerokuAttachment> resolve(List<HerokuAttachment> on, Resolve asked) {
        String wanted = asked.addonAttachment().strip();
        String bare = wanted.endsWith("_URL") ? wanted.substring(0, wanted.length() - 4) : wanted;
        List<HerokuAttachment> found = on.stream()
                .filter(t -> asked.addonService() == null || t.addon().plan().name().startsWith(asked.addonService() + ":"))
                .filter(t -> t.name().equals(bare) || t.id().equals(wanted) || t.addon().name().equals(wanted)
                        || t.addon().id().equals(wanted))
                .toList();
        if (found.isEmpty()) {
            throw ApiException.notFound("Couldn't find that add on attachment: '" + wanted + "' on " + asked.app());
        }
        return found;
    }

    /** An app's add-ons as a Heroku client reads them ({@code GET /apps/{app}/addons}). */
    public static List<HerokuAddon> of(List<AddonView> views) {
        return views.stream().map(HerokuAddons::of).toList();
    }

    static HerokuAddon of(AddonView a) {
        return new HerokuAddon(id("addon", a.name()), a.name(), new Ref(id("app", a.app()), a.app()),
                new Ref(id("service", a.service()), a.service()), plan(a),
                new BilledPrice(0, false), state(a.state()),
                a.attachments().stream().filter(t -> t.app().equals(a.app())).map(AddonView.Attachment::configVar).toList(),
                a.createdAt(), a.createdAt());
    }

    static List<HerokuAttachment> attachments(AddonView a) {
        AddonRef addon = new AddonRef(addonId(a.name()), a.name(), new Ref(appId(a.app()), a.app()), plan(a));
        return a.attachments().stream().map(t -> new HerokuAttachment(id("attachment", t.app() + "/" + t.name()), t.name(),
                new Ref(appId(t.app()), t.app()), addon, List.of(t.configVar()), null)).toList();
    }

    /**
     * {@code <service>:<version>}; a PostgreSQL one's version says {@code private-}, as Heroku's plans for
     * databases in a private network do: it is reachable from the app's dynos only, so the CLI asks
     * where its bastion is before running psql here, which {@link HerokuDatabases} answers with what to run instead.
     */
    static Plan plan(AddonView a) {
        String name = a.service() + ":" + (a.service().equals("postgres") ? "private-" : "") + a.version();
        return new Plan(id("plan", name), name, new Price(0, "month", false));
    }

    static String addonId(String addon) {
        return id("addon", addon);
    }

    static String appId(String app) {
        return id("app", app);
    }

    /** Heroku's states; {@code down} (its server is not running) has no Heroku name and is said as it is. */
    static String state(String slipway) {
        return switch (slipway) {
            case "creating" -> "provisioning";
            case "available" -> "provisioned";
            case "failed" -> "deprovisioned";
            default -> slipway;
        };
    }

    /** Heroku's ids are UUIDs; Slipway's add-ons are known by name, so theirs follow from it. */
    private static String id(String kind, String name) {
        return UUID.nameUUIDFromBytes(("slipway-" + kind + ":" + name).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
