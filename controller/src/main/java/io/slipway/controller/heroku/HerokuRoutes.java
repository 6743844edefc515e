package io.slipway.controller.heroku;

import io.slipway.controller.app.App;
import io.slipway.controller.app.AppService;
import io.slipway.controller.auth.BearerAuth;
import io.slipway.controller.auth.Principal;
import io.slipway.controller.http.ApiException;
import io.slipway.controller.http.JsonIO;
import io.slipway.controller.http.Routes;
import io.slipway.controller.release.ReleaseService;
import io.undertow.server.RoutingHandler;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The routes only the Heroku CLI asks for, as thin adapters over Slipway's services: the user's
 * apps, an app's collaborators, its certificates as SNI endpoints, and features Slipway does not
 * have (pipelines), refused in Heroku's shape.
 */
public final class HerokuRoutes {
    private final AppService apps;
    private final BiFunction<App, Principal, Object> view;
    private final ReleaseService releases;
    private final java.util.function.Function<App, List<io.slipway.api.CertificateView>> certificates;

    public HerokuRoutes(AppService apps, BiFunction<App, Principal, Object> view, ReleaseService releases,
                        java.util.function.Function<App, List<io.slipway.api.CertificateView>> certificates) {
        this.apps = apps;
        this.view = view;
        this.releases = releases;
        this.certificates = certificates;
    }

    public void register(RoutingHandler routes) {
        // One team per platform: the user's apps are all of them.
        routes.get("/users/{user}/apps", ex -> RangedList.send(ex,
                apps.list().stream().map(a -> view.apply(a, BearerAuth.principal(ex))).toList(), "id", "name", "created_at"));
        // Everyone holding a token of the platform may work on every app; no one is a collaborator apart.
        routes.get("/apps/{app}/collaborators", ex -> {
            apps.get(Routes.param(ex, "app"));
            JsonIO.send(ex, 200, List.of());
        });
        // releases:info: the config a release ran with (Slipway's release view carries it as well).
        routes.get("/apps/{app}/releases/{version}/config-vars", ex -> {
            App app = apps.get(Routes.param(ex, "app"));
            JsonIO.send(ex, 200, releases.get(app, Routes.param(ex, "version")).config());
        });
        // certs and domains:add read the app's certificates
        new SniEndpoints(apps, certificates).register(routes);
        routes.get("/apps/{app}/pipeline-couplings", ex -> {
            throw ApiException.notFound("app '" + apps.get(Routes.param(ex, "app")).name()
                    + "' is in no pipeline: Slipway does not support pipelines yet");
        });
    }
}
