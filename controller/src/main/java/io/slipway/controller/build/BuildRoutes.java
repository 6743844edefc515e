package io.slipway.controller.build;

import io.slipway.api.BuildView;
import io.slipway.controller.app.AppService;
import io.slipway.controller.http.JsonIO;
import io.slipway.controller.http.Routes;
import io.undertow.server.RoutingHandler;

/** {@code GET /apps/{app}/builds}: newest first. */
public final class BuildRoutes {
    private final AppService apps;
    private final BuildService builds;

    public BuildRoutes(AppService apps, BuildService builds) {
        this.apps = apps;
        this.builds = builds;
    }

    public void register(RoutingHandler routes) {
        routes.get("/apps/{app}/builds", ex -> JsonIO.send(ex, 200,
                builds.list(apps.get(Routes.param(ex, "app"))).stream().map(BuildRoutes::view).toList()));
    }

    static BuildView view(Build b) {
        return new BuildView(b.id().toString(), b.number(), b.status(), b.commit(), b.buildpack(), b.image(),
                b.processTypes(), b.failure(), b.createdBy(), b.createdAt(), b.finishedAt());
    }
}
