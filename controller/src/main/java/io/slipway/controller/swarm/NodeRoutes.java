package io.slipway.controller.swarm;

import io.slipway.api.NodeUpdate;
import io.slipway.controller.auth.BearerAuth;
import io.slipway.controller.http.JsonIO;
import io.slipway.controller.http.Routes;
import io.undertow.server.RoutingHandler;
import io.undertow.util.Methods;

/** {@code /nodes}: the machines dynos run on, and a node's availability (Swarm mode). */
public final class NodeRoutes {
    private final NodeService nodes;

    public NodeRoutes(NodeService nodes) {
        this.nodes = nodes;
    }

    public void register(RoutingHandler routes) {
        routes.get("/nodes", ex -> JsonIO.send(ex, 200, nodes.list()));
        routes.add(Methods.PATCH, "/nodes/{node}", ex -> {
            NodeUpdate body = JsonIO.read(ex, NodeUpdate.class);
            JsonIO.send(ex, 200, nodes.setAvailability(Routes.param(ex, "node"), body.availability(),
                    BearerAuth.principal(ex).name()));
        });
    }
}
