package io.slipway.controller.release;

import io.slipway.api.ReleaseView;
import io.slipway.api.Rollback;
import io.slipway.controller.auth.BearerAuth;
import io.slipway.controller.app.App;
import io.slipway.controller.app.AppService;
import io.slipway.controller.http.JsonIO;
import io.slipway.controller.http.Routes;
import io.undertow.server.RoutingHandler;
import java.util.Optional;
import java.util.UUID;

/** {@code GET /apps/{app}/releases} (newest first) and {@code GET /apps/{app}/releases/{version}}. */
public final class ReleaseRoutes {
    private final AppService apps;
    private final ReleaseService releases;
    private final Runnable rollout;

    /** @param rollout tells the loops that move releases on that one was made */
    public ReleaseRoutes(AppService apps, ReleaseService releases, Runnable rollout) {
        this.apps = apps;
        this.releases = releases;
        this.rollout = rollout;
    }

    public void register(RoutingHandler routes) {
        routes.get("/apps/{app}/releases", ex -> {
            App app = apps.get(Routes.param(ex, "app"));
            UUID current = releases.current(app).map(Release::id).orElse(null);
            io.slipway.controller.heroku.RangedList.send(ex, releases.list(app).stream().map(r -> view(r, r.id().equals(current))).toList(),
                    "version", "created_at");
        });
        routes.post("/apps/{app}/releases", ex -> {
            App app = apps.get(Routes.param(ex, "app"));
            Rollback body = JsonIO.read(ex, Rollback.class);
            Release release = releases.rollback(app, body.release(), BearerAuth.principal(ex).name());
            rollout.run();
            JsonIO.send(ex, 201, view(release, false));
        });
        routes.get("/apps/{app}/releases/{version}", ex -> {
            App app = apps.get(Routes.param(ex, "app"));
            Release release = releases.get(app, Routes.param(ex, "version"));
            Optional<Release> current = releases.current(app);
            JsonIO.send(ex, 200, view(release, current.map(c -> c.id().equals(release.id())).orElse(false)));
        });
    }

    static ReleaseView view(Release r, boolean current) {
        return new ReleaseView(r.version(), r.description(), r.state().herokuStatus(), current, r.buildNumber(),
                r.commit(), r.image(), r.processTypes(), r.config(), r.createdBy(), r.createdAt(), r.state().value(),
                r.failure(), new ReleaseView.User(r.createdBy()), r.image() != null, java.util.List.of());
    }
}
