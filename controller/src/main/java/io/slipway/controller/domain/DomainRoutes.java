package io.slipway.controller.domain;

import io.slipway.api.CreateDomain;
import io.slipway.controller.app.App;
import io.slipway.controller.app.AppService;
import io.slipway.controller.auth.BearerAuth;
import io.slipway.api.DomainView;
import io.slipway.controller.heroku.HerokuShapes;
import io.slipway.controller.http.JsonIO;
import io.slipway.controller.http.Routes;
import io.undertow.server.RoutingHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code /apps/{app}/domains}: list, add, remove custom host names. */
public final class DomainRoutes {
    private final AppService apps;
    private final DomainService domains;
    /** The list as Heroku's clients read it (with each domain's ACM status). */
    private final java.util.function.BiFunction<App, List<DomainView>, List<?>> forHeroku;

    public DomainRoutes(AppService apps, DomainService domains, java.util.function.BiFunction<App, List<DomainView>, List<?>> forHeroku) {
        this.apps = apps;
        this.domains = domains;
        this.forHeroku = forHeroku;
    }

    public void register(RoutingHandler routes) {
        routes.get("/apps/{app}/domains", ex -> {
            App app = apps.get(Routes.param(ex, "app"));
            List<DomainView> custom = domains.list(app);
            // Heroku's clients expect the default host name in the list too; Slipway's CLI shows it apart.
            if (HerokuShapes.asked(ex)) {
                List<DomainView> all = new ArrayList<>(List.of(domains.defaultDomain(app)));
                all.addAll(custom);
                io.slipway.controller.heroku.RangedList.send(ex, forHeroku.apply(app, all), "hostname", "created_at");
                return;
            }
            io.slipway.controller.heroku.RangedList.send(ex, custom, "hostname", "created_at");
        });
        routes.post("/apps/{app}/domains", ex -> {
            App app = apps.get(Routes.param(ex, "app"));
            CreateDomain body = JsonIO.read(ex, CreateDomain.class);
            JsonIO.send(ex, 201, domains.add(app, body.hostname(), BearerAuth.principal(ex).name()));
        });
        routes.delete("/apps/{app}/domains/{hostname}", ex -> {
            App app = apps.get(Routes.param(ex, "app"));
            String host = Routes.param(ex, "hostname");
            domains.remove(app, host, BearerAuth.principal(ex).name());
            JsonIO.send(ex, 200, Map.of("hostname", host));
        });
    }
}
