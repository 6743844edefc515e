package io.slipway.controller.schedule;

import io.slipway.api.CreateSchedule;
import io.slipway.controller.app.App;
import io.slipway.controller.app.AppService;
import io.slipway.controller.auth.BearerAuth;
import io.slipway.controller.http.ApiException;
import io.slipway.controller.http.JsonIO;
import io.slipway.controller.http.Routes;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import java.util.Deque;

/**
 * {@code /apps/{app}/schedules} (list, add), {@code /apps/{app}/schedules/{id}} (remove),
 * {@code /apps/{app}/schedules/{id}/history} and {@code /apps/{app}/schedule-runs} (newest first).
 */
public final class ScheduleRoutes {
    private static final int DEFAULT_LIMIT = 50;
    private static final int MAX_LIMIT = 500;

    private final AppService apps;
    private final ScheduleService schedules;

    public ScheduleRoutes(AppService apps, ScheduleService schedules) {
        this.apps = apps;
        this.schedules = schedules;
    }

    public void register(RoutingHandler routes) {
        routes.get("/apps/{app}/schedules", ex -> JsonIO.send(ex, 200, schedules.list(app(ex))));
        routes.post("/apps/{app}/schedules", ex -> {
            App app = app(ex);
            CreateSchedule body = JsonIO.read(ex, CreateSchedule.class);
            JsonIO.send(ex, 201, schedules.add(app, body, BearerAuth.principal(ex).name()));
        });
        routes.delete("/apps/{app}/schedules/{id}", ex -> JsonIO.send(ex, 200,
                schedules.remove(app(ex), Routes.param(ex, "id"), BearerAuth.principal(ex).name())));
        routes.get("/apps/{app}/schedules/{id}/history", ex -> JsonIO.send(ex, 200,
                schedules.history(app(ex), Routes.param(ex, "id"), limit(ex))));
        routes.get("/apps/{app}/schedule-runs", ex -> JsonIO.send(ex, 200, schedules.runs(app(ex), limit(ex))));
    }

    private App app(HttpServerExchange ex) {
        return apps.get(Routes.param(ex, "app"));
    }

    /** {@code ?limit=N}, 1 to 500, default 50. */
    static int limit(HttpServerExchange ex) {
        Deque<String> given = ex.getQueryParameters().get("limit");
        if (given == null || given.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        try {
            int n = Integer.parseInt(given.getFirst().strip());
            if (n >= 1 && n <= MAX_LIMIT) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.invalid("limit must be a whole number from 1 to " + MAX_LIMIT + ", got '" + given.getFirst() + "'");
    }
}
