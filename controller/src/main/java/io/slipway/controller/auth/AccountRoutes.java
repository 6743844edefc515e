package io.slipway.controller.auth;

import io.slipway.controller.heroku.HerokuShapes;
import io.slipway.controller.http.JsonIO;
import io.undertow.server.RoutingHandler;

/** {@code GET /account}: who the presented token belongs to ({@code slipway whoami}, login's check); with Heroku's {@code id} and {@code email} for {@code heroku auth:whoami}. */
public final class AccountRoutes {
    public void register(RoutingHandler routes) {
        routes.get("/account", ex -> {
            Principal p = BearerAuth.principal(ex);
            JsonIO.send(ex, 200, HerokuShapes.account(p));
        });
    }
}
