package io.slipway.controller.certs.acme;

import io.slipway.controller.app.AppService;
import io.slipway.controller.auth.BearerAuth;
import io.slipway.controller.http.JsonIO;
import io.slipway.controller.http.Routes;
import io.undertow.server.RoutingHandler;

/** {@code /apps/{app}/certs/auto}: automatic certificates on (POST), off (DELETE), where each domain stands (GET), and ordered again now (POST .../refresh). */
public final class AcmeRoutes {
    private final AppService apps;
    private final AcmeService acme;

    public AcmeRoutes(AppService apps, AcmeService acme) {
        this.apps = apps;
        this.acme = acme;
    }

    public void register(RoutingHandler routes) {
        routes.get("/apps/{app}/certs/auto", ex -> JsonIO.send(ex, 200, acme.status(apps.get(Routes.param(ex, "app")))));
        routes.post("/apps/{app}/certs/auto", ex ->
                JsonIO.send(ex, 200, acme.enable(apps.get(Routes.param(ex, "app")), BearerAuth.principal(ex).name())));
        routes.post("/apps/{app}/certs/auto/refresh", ex ->
                JsonIO.send(ex, 200, acme.refresh(apps.get(Routes.param(ex, "app")), BearerAuth.principal(ex).name())));
        routes.delete("/apps/{app}/certs/auto", ex ->
                JsonIO.send(ex, 200, acme.disable(apps.get(Routes.param(ex, "app")), BearerAuth.principal(ex).name())));
    }
}
