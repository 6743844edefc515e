package io.slipway.controller;

import io.slipway.api.Health;
import io.slipway.controller.db.Database;
import io.slipway.controller.http.JsonIO;
import io.undertow.server.RoutingHandler;

/** {@code GET /healthz}, open to all: 200 when the controller can read its state, 503 when it cannot. */
final class HealthRoutes {
    static final String PATH = "/healthz";

    private final Database db;

    HealthRoutes(Database db) {
        this.db = db;
    }

    void register(RoutingHandler routes) {
        routes.get(PATH, ex -> {
            boolean up = db.isReachable();
            JsonIO.send(ex, up ? 200 : 503,
                    new Health(up ? "ok" : "degraded", BuildInfo.version(), up ? "ok" : "unavailable"));
        });
    }
}
