package io.slipway.controller;

import io.slipway.api.Health;
import io.slipway.controller.db.Database;
import io.slipway.controller.http.JsonIO;
import io.slipway.controller.leader.Leadership;
import io.undertow.server.RoutingHandler;

/**
 * {@code GET /healthz}, open to all: 200 when the controller can read its state, 503 when it
 * cannot; and which controller leads reconciliation, this one or another on the same database.
 */
final class HealthRoutes {
    static final String PATH = "/healthz";

    private final Database db;
    private final Leadership leadership;

    HealthRoutes(Database db, Leadership leadership) {
        this.db = db;
        this.leadership = leadership;
    }

    void register(RoutingHandler routes) {
        routes.get(PATH, ex -> {
            boolean up = db.isReachable();
            Leadership.Status lead = leadership.status();
            JsonIO.send(ex, up ? 200 : 503, new Health(up ? "ok" : "degraded", BuildInfo.version(), up ? "ok" : "unavailable",
                    lead.self(), lead.leads(), lead.leader().orElse(null)));
        });
    }
}
