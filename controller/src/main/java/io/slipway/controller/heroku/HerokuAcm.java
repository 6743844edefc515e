package io.slipway.controller.heroku;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.slipway.api.AutoCertView;
import io.slipway.api.DomainView;
import io.slipway.controller.app.App;
import io.slipway.controller.app.AppService;
import io.slipway.controller.auth.BearerAuth;
import io.slipway.controller.auth.Principal;
import io.slipway.controller.certs.acme.AcmeService;
import io.slipway.controller.http.JsonIO;
import io.slipway.controller.http.Routes;
import io.undertow.server.RoutingHandler;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/**
 * Heroku's ACM over Slipway's automatic certificates: {@code heroku certs:auto:enable},
 * {@code :disable} and {@code :refresh} ({@code POST}, {@code DELETE}, {@code PATCH /apps/{app}/acm}),
 * and the {@code acm_status} of each custom domain that {@code heroku certs:auto} reads.
 */
public final class HerokuAcm {
    /** A domain as Heroku's clients read it, with where its automatic certificate stands. */
    public record HerokuDomain(@JsonUnwrapped DomainView domain, @JsonProperty("acm_status") String acmStatus,
                               @JsonProperty("acm_status_reason") String acmStatusReason,
                               @JsonProperty("updated_at") Instant updatedAt) {}

    private final AppService apps;
    private final AcmeService acme;
    private final BiFunction<App, Principal, Object> view;

    public HerokuAcm(AppService apps, AcmeService acme, BiFunction<App, Principal, Object> view) {
        this.apps = apps;
        this.acme = acme;
        this.view = view;
    }

    public void register(RoutingHandler routes) {
        routes.post("/apps/{app}/acm", ex -> answer(ex, app -> acme.enable(app, BearerAuth.principal(ex).name())));
        routes.delete("/apps/{app}/acm", ex -> answer(ex, app -> acme.disable(app, BearerAuth.principal(ex).name())));
        // the CLI's certs:auto:refresh sends {"acm_refresh": true}; there is nothing else to patch
        routes.add(io.undertow.util.Methods.PATCH, "/apps/{app}/acm", ex -> answer(ex, app -> acme.refresh(app, BearerAuth.principal(ex).name())));
    }

    private void answer(io.undertow.server.HttpServerExchange ex, java.util.function.Function<App, AutoCertView> action) {
        App app = apps.get(Routes.param(ex, "app"));
        action.apply(app);
        JsonIO.send(ex, 200, view.apply(app, BearerAuth.principal(ex)));
    }

    /** Whether automatic certificates are on for the app (the {@code acm} of Heroku's app). */
    public boolean enabled(App app) {
        return acme.status(app).enabled();
    }

    /** The app's domains with their ACM status, for Heroku's clients. */
    public List<HerokuDomain> withStatus(App app, List<DomainView> domains) {
        AutoCertView auto = acme.status(app);
        Map<String, AutoCertView.Domain> byHost = auto.enabled()
                ? auto.domains().stream().collect(Collectors.toMap(AutoCertView.Domain::hostname, d -> d))
                : Map.of();
        return domains.stream().map(d -> {
            AutoCertView.Domain a = byHost.get(d.hostname());
            return new HerokuDomain(d, a == null ? null : status(a.status()), a == null ? null : a.lastError(), d.createdAt());
        }).toList();
    }

    /** Slipway's states in Heroku's words (the CLI waits for "cert issued" or "failed"). */
    static String status(String slipway) {
        return switch (slipway) {
            case "ok" -> "cert issued";
            case "failing" -> "failing";
            default -> slipway; // pending
        };
    }
}
