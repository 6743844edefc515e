package io.slipway.controller.certs;

import io.slipway.api.AddCertificate;
import io.slipway.api.HttpsSetting;
import io.slipway.controller.app.App;
import io.slipway.controller.app.AppService;
import io.slipway.controller.auth.BearerAuth;
import io.slipway.controller.http.JsonIO;
import io.slipway.controller.http.Routes;
import io.undertow.server.RoutingHandler;
import java.util.Map;

/** {@code /apps/{app}/certs}: the app's HTTPS certificate (list, add, remove) and its HTTP→HTTPS redirect. */
public final class CertRoutes {
    private final AppService apps;
    private final CertService certs;

    public CertRoutes(AppService apps, CertService certs) {
        this.apps = apps;
        this.certs = certs;
    }

    public void register(RoutingHandler routes) {
        routes.get("/apps/{app}/certs", ex -> JsonIO.send(ex, 200, certs.list(apps.get(Routes.param(ex, "app")))));
        routes.post("/apps/{app}/certs", ex -> {
            App app = apps.get(Routes.param(ex, "app"));
            AddCertificate body = JsonIO.read(ex, AddCertificate.class);
            JsonIO.send(ex, 201, certs.add(app, body.certificate(), body.privateKey(), BearerAuth.principal(ex).name()));
        });
        routes.delete("/apps/{app}/certs", ex -> {
            App app = apps.get(Routes.param(ex, "app"));
            certs.remove(app, BearerAuth.principal(ex).name());
            JsonIO.send(ex, 200, Map.of("app", app.name().value()));
        });
        routes.get("/apps/{app}/certs/redirect", ex ->
                JsonIO.send(ex, 200, new HttpsSetting(certs.forceHttps(apps.get(Routes.param(ex, "app"))))));
        routes.put("/apps/{app}/certs/redirect", ex -> {
            App app = apps.get(Routes.param(ex, "app"));
            HttpsSetting body = JsonIO.read(ex, HttpsSetting.class);
            JsonIO.send(ex, 200, new HttpsSetting(certs.setForceHttps(app, body.forceHttps(), BearerAuth.principal(ex).name())));
        });
    }
}
