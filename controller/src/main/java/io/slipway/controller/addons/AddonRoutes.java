package io.slipway.controller.addons;

import io.slipway.api.AddonView;
import io.slipway.api.AttachAddon;
import io.slipway.api.CreateAddon;
import io.slipway.api.Json;
import io.slipway.api.PsqlRequest;
import io.slipway.controller.app.App;
import io.slipway.controller.app.AppService;
import io.slipway.controller.auth.BearerAuth;
import io.slipway.controller.http.ApiException;
import io.slipway.controller.http.JsonIO;
import io.slipway.controller.http.Routes;
import io.slipway.controller.run.AttachSession;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.websockets.WebSocketConnectionCallback;
import io.undertow.websockets.WebSocketProtocolHandshakeHandler;
import java.util.Deque;

/**
 * {@code /apps/{app}/addons} (list, create), {@code /addons/{name}} (info, destroy),
 * {@code /addons/{name}/attachments} (attach), {@code /apps/{app}/addon-attachments/{name}}
 * (detach), {@code /apps/{app}/pg-info} and {@code /apps/{app}/psql} (a WebSocket, as {@code run}).
 */
public final class AddonRoutes {
    private final AppService apps;
    private final AddonService addons;
    private final Psql psql;

    AddonRoutes(AppService apps, AddonService addons, Psql psql) {
        this.apps = apps;
        this.addons = addons;
        this.psql = psql;
    }

    public void register(RoutingHandler routes) {
        routes.get("/apps/{app}/addons", ex -> {
            var list = addons.list(app(ex));
            JsonIO.send(ex, 200, io.slipway.controller.heroku.HerokuShapes.asked(ex)
                    ? io.slipway.controller.heroku.HerokuAddons.of(list) : list);
        });
        routes.post("/apps/{app}/addons", ex -> {
            App app = app(ex);
            JsonIO.send(ex, 202, addons.create(app, JsonIO.read(ex, CreateAddon.class), by(ex)));
        });
        routes.get("/addons/{name}", ex -> JsonIO.send(ex, 200, addons.info(Routes.param(ex, "name"))));
        routes.delete("/addons/{name}", ex -> {
            AddonView gone = addons.destroy(Routes.param(ex, "name"), query(ex, "confirm"), "true".equals(query(ex, "no_backup")), by(ex));
            // 202 while its last backup is taken: GET /addons/{name} says destroying until it is gone (404) or back.
            JsonIO.send(ex, gone.state().equals("destroying") ? 202 : 200, gone);
        });
        routes.post("/addons/{name}/attachments", ex -> {
            String name = Routes.param(ex, "name");
            AttachAddon body = JsonIO.read(ex, AttachAddon.class);
            if (body.app() == null || body.app().isBlank()) {
                throw ApiException.invalid("say which app to attach " + name + " to: {\"app\": \"shop-worker\"}");
            }
            JsonIO.send(ex, 201, addons.attach(name, apps.get(body.app()), body.as(), by(ex)));
        });
        routes.delete("/apps/{app}/addon-attachments/{name}", ex ->
                JsonIO.send(ex, 200, addons.detach(app(ex), Routes.param(ex, "name"), by(ex))));
        routes.get("/apps/{app}/pg-info", ex -> JsonIO.send(ex, 200, psql.info(app(ex), addons)));
        routes.get("/apps/{app}/psql", ex -> {
            App app = app(ex);
            WebSocketConnectionCallback onConnect = (http, channel) -> AttachSession.serve(channel, "app=" + app.name(),
                    first -> psql.start(app, Json.mapper().readValue(first, PsqlRequest.class)));
            new WebSocketProtocolHandshakeHandler(onConnect).handleRequest(ex);
        });
    }

    private App app(HttpServerExchange ex) {
        return apps.get(Routes.param(ex, "app"));
    }

    private static String by(HttpServerExchange ex) {
        return BearerAuth.principal(ex).name();
    }

    static String query(HttpServerExchange ex, String name) {
        Deque<String> values = ex.getQueryParameters().get(name);
        return values == null || values.isEmpty() ? null : values.getFirst();
    }
}
