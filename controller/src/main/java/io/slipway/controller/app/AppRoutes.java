package io.slipway.controller.app;

import io.slipway.api.CreateApp;
import io.slipway.api.UpdateApp;
import io.slipway.controller.auth.BearerAuth;
import io.slipway.controller.auth.Principal;
import io.slipway.controller.http.ApiException;
import io.slipway.controller.http.JsonIO;
import io.slipway.controller.http.Routes;
import io.undertow.server.RoutingHandler;
import java.util.Optional;
import java.util.function.BiFunction;

/** {@code /apps} and {@code /apps/{app}}; {@code PATCH /apps/{app}} renames ({@code apps:rename}). */
public final class AppRoutes {
    private final AppService apps;
    private final BiFunction<App, Principal, Object> view;

    /** @param view how an app is shown to whom (its URLs depend on the platform's configuration) */
    public AppRoutes(AppService apps, BiFunction<App, Principal, Object> view) {
        this.apps = apps;
        this.view = view;
    }

    public void register(RoutingHandler routes) {
        routes.get("/apps", ex -> io.slipway.controller.heroku.RangedList.send(ex,
                apps.list().stream().map(a -> view.apply(a, BearerAuth.principal(ex))).toList(), "id", "name", "created_at"));
        routes.post("/apps", ex -> {
            CreateApp body = JsonIO.read(ex, CreateApp.class);
            Optional<AppName> name = Optional.ofNullable(body.name()).map(AppName::new);
            JsonIO.send(ex, 201, view.apply(apps.create(name, BearerAuth.principal(ex).name()), BearerAuth.principal(ex)));
        });
        routes.get("/apps/{app}", ex -> JsonIO.send(ex, 200,
                view.apply(apps.get(Routes.param(ex, "app")), BearerAuth.principal(ex))));
        routes.add(io.undertow.util.Methods.PATCH, "/apps/{app}", ex -> {
            UpdateApp body = JsonIO.read(ex, UpdateApp.class);
            if (body.name() == null) {
                throw ApiException.invalid("nothing to change: send {\"name\": \"new-name\"} to rename the app");
            }
            Principal who = BearerAuth.principal(ex);
            JsonIO.send(ex, 200, view.apply(apps.rename(Routes.param(ex, "app"), new AppName(body.name()), who.name()), who));
        });
        routes.delete("/apps/{app}", ex -> JsonIO.send(ex, 200,
                view.apply(apps.destroy(Routes.param(ex, "app"), BearerAuth.principal(ex).name()), BearerAuth.principal(ex))));
    }
}
