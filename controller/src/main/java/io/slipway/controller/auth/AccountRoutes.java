package io.slipway.controller.auth;

import io.slipway.api.Account;
import io.slipway.controller.http.JsonIO;
import io.undertow.server.RoutingHandler;

/** {@code GET /account}: who the presented token belongs to ({@code slipway whoami}, login's check). */
public final class AccountRoutes {
    public void register(RoutingHandler routes) {
        routes.get("/account", ex -> {
            Principal p = BearerAuth.principal(ex);
            JsonIO.send(ex, 200, new Account(p.name(), p.tokenDescription()));
        });
    }
}
