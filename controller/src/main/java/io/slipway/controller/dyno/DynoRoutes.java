package io.slipway.controller.dyno;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.api.DynoView;
import io.slipway.api.FormationUpdate;
import io.slipway.controller.app.App;
import io.slipway.controller.app.AppService;
import io.slipway.controller.auth.BearerAuth;
import io.slipway.controller.docker.Labels;
import io.slipway.controller.http.ApiException;
import io.slipway.controller.http.JsonIO;
import io.slipway.controller.http.Routes;
import io.slipway.controller.release.Release;
import io.slipway.controller.release.ReleaseService;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.util.Methods;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code /apps/{app}/formation} (scale) and {@code /apps/{app}/dynos} (list, restart, stop). */
public final class DynoRoutes {
    private final AppService apps;
    private final FormationService formation;
    private final Dynos manager;
    private final ReleaseService releases;
    private final io.slipway.controller.run.OneOffDynos runs;

    public DynoRoutes(AppService apps, FormationService formation, Dynos manager, ReleaseService releases,
                      io.slipway.controller.run.OneOffDynos runs) {
        this.runs = runs;
        this.apps = apps;
        this.formation = formation;
        this.manager = manager;
        this.releases = releases;
    }

    public void register(RoutingHandler routes) {
        routes.get("/apps/{app}/formation", ex -> JsonIO.send(ex, 200, formation.get(app(ex))));
        routes.add(Methods.PATCH, "/apps/{app}/formation", ex -> {
            App app = app(ex);
            FormationUpdate body = JsonIO.read(wholeQuantities(JsonIO.readTree(ex)), FormationUpdate.class);
            var result = formation.scale(app, body.updates(), BearerAuth.principal(ex).name());
            manager.wake();
            JsonIO.send(ex, 200, result);
        });
        routes.get("/apps/{app}/dynos", ex -> {
            App app = app(ex);
            Map<Integer, Map<String, String>> commands = new HashMap<>();
            Map<String, String> sizes = new HashMap<>();
            List<DynoStore.Row> rows = manager.dynos(app.id());
            if (!rows.isEmpty()) { // an app with no release yet has no formation, and no dynos to size
                formation.get(app).forEach(f -> sizes.put(f.type(), f.size()));
            }
            List<DynoView> views = new java.util.ArrayList<>(rows.stream()
                    .map(r -> new DynoView(r.type() + "." + r.index(), r.type(), r.state().value(), "v" + r.release(),
                            commands.computeIfAbsent(r.release(), v -> processTypes(app, v)).get(r.type()),
                            r.startedAt(), r.restarts(), r.restartAt(), sizes.getOrDefault(r.type(), "standard"), r.node(),
                            r.host()))
                    .toList());
            // One-off dynos show while they run, as run.N.
            for (var c : runs.running(app.name().value())) {
                var labels = c.getLabels();
                views.add(new DynoView(labels.getOrDefault(Labels.DYNO, "run"), "run", "up",
                        "v" + labels.getOrDefault(Labels.RELEASE, "?"), null,
                        java.time.Instant.ofEpochSecond(c.getCreated()), 0, null,
                        "standard"));
            }
            io.slipway.controller.heroku.RangedList.send(ex, views, "name", "created_at");
        });
        routes.delete("/apps/{app}/dynos", ex -> restart(ex, null, "restarting", "restarted"));
        routes.delete("/apps/{app}/dynos/{dyno}", ex -> restart(ex, Routes.param(ex, "dyno"), "restarting", "restarted"));
        // As on Heroku, a stopped dyno of the formation starts afresh: a stop is a restart by another name.
        routes.post("/apps/{app}/dynos/{dyno}/actions/stop", ex -> restart(ex, Routes.param(ex, "dyno"), "stopping",
                "stopped"));
    }

    /** JSON numbers are read into an int by dropping the fraction: a quantity of 1.5 must be refused, not made 1. */
    static JsonNode wholeQuantities(JsonNode body) {
        JsonNode updates = body.path("updates");
        for (JsonNode u : updates.isArray() ? updates : List.<JsonNode>of()) {
            JsonNode q = u.path("quantity");
            if (!q.isMissingNode() && !q.isNull() && !(q.isIntegralNumber() && q.canConvertToInt())) {
                throw ApiException.invalid("cannot scale " + u.path("type").asText("?") + " to " + q
                        + ": quantities are whole numbers of dynos, e.g. web=2");
            }
        }
        return body;
    }

    private void restart(HttpServerExchange ex, String selector, String doing, String field) {
        App app = app(ex);
        Dynos.RestartRequest request = manager.restart(app.id(), app.name().value(), selector, doing);
        if (request.dynos().isEmpty() && selector != null) {
            throw ApiException.notFound("app '" + app.name() + "' has no dyno or process type " + selector
                    + "; 'slipway ps' lists them");
        }
        JsonIO.send(ex, 202, Map.of(field, request.dynos(), "rolling", request.web() > 0,
                "message", message(request)));
    }

    /** What the request does, for people: web dynos roll, so the app keeps serving. */
    static String message(Dynos.RestartRequest request) {
        if (request.dynos().isEmpty()) {
            return "no dynos are running";
        }
        if (request.web() == 0) {
            return "each stops, then starts afresh";
        }
        return request.web() == 1
                ? "a fresh web dyno takes traffic before the old one stops"
                : "web dynos are replaced one at a time, each fresh one taking traffic before its old one stops";
    }

    private Map<String, String> processTypes(App app, int version) {
        try {
            Release r = releases.get(app, "v" + version);
            return r.processTypes();
        } catch (ApiException e) {
            return Map.of();
        }
    }

    private App app(HttpServerExchange ex) {
        return apps.get(Routes.param(ex, "app"));
    }
}
