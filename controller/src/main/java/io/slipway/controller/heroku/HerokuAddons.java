package io.slipway.controller.heroku;

import io.slipway.api.AddonView;
import io.slipway.controller.addons.AddonService;
import io.slipway.controller.app.App;
import io.slipway.controller.app.AppService;
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

    public record AddonRef(String id, String name, Ref app) {}

    public record HerokuAttachment(String id, String name, Ref app, AddonRef addon) {}

    public void register(RoutingHandler routes) {
        routes.get("/addon-attachments", ex -> JsonIO.send(ex, 200, apps.list().stream()
                .flatMap(app -> addons.list(app).stream()).flatMap(a -> attachments(a).stream()).toList()));
        routes.get("/apps/{app}/addon-attachments", ex -> {
            App app = apps.get(io.slipway.controller.http.Routes.param(ex, "app"));
            JsonIO.send(ex, 200, apps.list().stream().flatMap(owner -> addons.list(owner).stream())
                    .flatMap(a -> attachments(a).stream()).filter(t -> t.app().name().equals(app.name().value())).toList());
        });
    }

    /** An app's add-ons as a Heroku client reads them ({@code GET /apps/{app}/addons}). */
    public static List<HerokuAddon> of(List<AddonView> views) {
        return views.stream().map(HerokuAddons::of).toList();
    }

    static HerokuAddon of(AddonView a) {
        String plan = a.service() + ":" + a.version();
        return new HerokuAddon(id("addon", a.name()), a.name(), new Ref(id("app", a.app()), a.app()),
                new Ref(id("service", a.service()), a.service()), new Plan(id("plan", plan), plan, new Price(0, "month", false)),
                new BilledPrice(0, false), state(a.state()),
                a.attachments().stream().filter(t -> t.app().equals(a.app())).map(AddonView.Attachment::configVar).toList(),
                a.createdAt(), a.createdAt());
    }

    static List<HerokuAttachment> attachments(AddonView a) {
        AddonRef addon = new AddonRef(id("addon", a.name()), a.name(), new Ref(id("app", a.app()), a.app()));
        return a.attachments().stream().map(t -> new HerokuAttachment(id("attachment", t.app() + "/" + t.name()), t.name(),
                new Ref(id("app", t.app()), t.app()), addon)).toList();
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
