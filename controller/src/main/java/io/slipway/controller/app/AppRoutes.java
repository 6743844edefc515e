package io.slipway.controller.app;

import io.slipway.api.AppInfo;
import io.slipway.api.CreateApp;
import io.slipway.controller.auth.BearerAuth;
import io.slipway.controller.http.JsonIO;
import io.slipway.controller.http.Routes;
import io.undertow.server.RoutingHandler;
import java.util.Optional;
import java.util.function.Function;

/** {@code /apps} and {@code /apps/{app}}. */
public final class AppRoutes {
    private final AppService apps;
    private final Function<App, AppInfo> view;

    /** @param view how an app is shown (its URLs depend on the platform's configuration) */
    public AppRoutes(AppService apps, Function<App, AppInfo> view) {
        this.apps = apps;
        this.view = view;
    }

    public void register(RoutingHandler routes) {
        routes.get("/apps", ex -> JsonIO.send(ex, 200, apps.list().stream().map(view).toList()));
        routes.post("/apps", ex -> {
            CreateApp body = JsonIO.read(ex, CreateApp.class);
            Optional<AppName> name = Optional.ofNullable(body.name()).map(AppName::new);
            JsonIO.send(ex, 201, view.apply(apps.create(name, BearerAuth.principal(ex).name())));
        });
        routes.get("/apps/{app}", ex -> JsonIO.send(ex, 200, view.apply(apps.get(Routes.param(ex, "app")))));
        routes.delete("/apps/{app}", ex -> JsonIO.send(ex, 200,
                view.apply(apps.destroy(Routes.param(ex, "app"), BearerAuth.principal(ex).name()))));
    }
}
