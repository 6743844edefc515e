package io.slipway.controller.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.controller.app.App;
import io.slipway.controller.app.AppService;
import io.slipway.controller.auth.BearerAuth;
import io.slipway.controller.http.ApiException;
import io.slipway.controller.http.JsonIO;
import io.slipway.controller.http.Routes;
import io.undertow.server.RoutingHandler;
import io.undertow.util.Methods;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code /apps/{app}/config-vars}: GET the map, PATCH to set (strings) and unset (nulls). */
public final class ConfigRoutes {
    private final AppService apps;
    private final ConfigService config;

    public ConfigRoutes(AppService apps, ConfigService config) {
        this.apps = apps;
        this.config = config;
    }

    public void register(RoutingHandler routes) {
        routes.get("/apps/{app}/config-vars", ex -> JsonIO.send(ex, 200, config.get(app(ex))));
        routes.add(Methods.PATCH, "/apps/{app}/config-vars", ex -> {
            App app = app(ex);
            Map<String, String> patch = patchOf(JsonIO.readTree(ex));
            JsonIO.send(ex, 200, config.patch(app, patch, BearerAuth.principal(ex).name()));
        });
    }

    private App app(io.undertow.server.HttpServerExchange ex) {
        return apps.get(Routes.param(ex, "app"));
    }

    static Map<String, String> patchOf(JsonNode body) {
        if (!body.isObject()) {
            throw ApiException.badRequest("the body must be a JSON object of config vars, e.g. {\"GREETING\": \"hello\", \"OLD\": null}");
        }
        Map<String, String> patch = new LinkedHashMap<>();
        for (var it = body.fields(); it.hasNext(); ) {
            var field = it.next();
            JsonNode v = field.getValue();
            if (v.isNull()) {
                patch.put(field.getKey(), null);
            } else if (v.isTextual()) {
                patch.put(field.getKey(), v.textValue());
            } else {
                throw ApiException.invalid("config var '" + field.getKey() + "' must be a string (or null to unset), got "
                        + v.getNodeType().name().toLowerCase());
            }
        }
        return patch;
    }
}
