package io.slipway.controller.addons;

import io.slipway.controller.docker.Networks;

import io.slipway.controller.app.AppService;
import io.slipway.controller.config.ConfigService;
import io.slipway.controller.db.Database;
import io.slipway.controller.docker.DockerEngine;
import io.undertow.server.RoutingHandler;
import java.nio.file.Path;

/** The add-ons feature wired together: what {@code Controller} needs of it (its service and its routes). */
public final class Addons {
    private final AddonService service;
    private final AddonRoutes routes;

    private Addons(AddonService service, AddonRoutes routes) {
        this.service = service;
        this.routes = routes;
    }

    /** {@code buildpacksDir} holds the service images' definitions ({@code services/}) and the base's ({@code stack/base}). */
    public static Addons wire(Database db, AppService apps, ConfigService config, DockerEngine docker, String platform,
                              Networks networks, Path buildpacksDir) {
        AddonStore store = new AddonStore(db);
        AddonContainers containers = new AddonContainers(docker, platform);
        AddonProvisioner provisioner = new AddonProvisioner(store, apps, config, containers,
                new ServiceImages(docker, buildpacksDir), networks, System::nanoTime);
        AddonService service = new AddonService(store, apps, config, containers, provisioner);
        return new Addons(service, new AddonRoutes(apps, service, new Psql(store, containers)));
    }

    public AddonService service() {
        return service;
    }

    public void register(RoutingHandler table) {
        routes.register(table);
    }
}
