package io.slipway.controller.addons;

import io.slipway.controller.build.BuildOutput;
import io.slipway.controller.build.LocalImages;
import io.slipway.controller.docker.DockerEngine;
import io.slipway.controller.docker.Labels;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The add-on services' images, built locally from {@code buildpacks/services/<service>} on the
 * stacks' Debian base by the same {@link LocalImages} machinery: nothing is pulled, each is built
 * once (the first add-on of its service waits for it, with progress) and rebuilt only when its
 * definition changes. Each service is a set of its own, so a first Redis does not wait for PostgreSQL.
 */
final class ServiceImages {
    private final Map<String, LocalImages> byService;

    /** {@code buildpacksDir} holds {@code stack/base} (the base image) and {@code services/}. */
    ServiceImages(DockerEngine docker, Path buildpacksDir) {
        this(docker, buildpacksDir, "slipway/");
    }

    ServiceImages(DockerEngine docker, Path buildpacksDir, String namespace) {
        Path base = buildpacksDir.resolve("stack").resolve("base");
        this.byService = Map.of(
                Service.POSTGRES.name(), images(docker, base, namespace, buildpacksDir, Service.POSTGRES),
                Service.REDIS.name(), images(docker, base, namespace, buildpacksDir, Service.REDIS));
    }

    private static LocalImages images(DockerEngine docker, Path base, String namespace, Path buildpacksDir, Service s) {
        Path dir = buildpacksDir.resolve("services").resolve(s.name());
        return new LocalImages(docker, base, namespace, "the " + s.name() + " service image",
                "buildpacks/services/" + s.name() + "/", Labels.ROLE_SERVICE,
                List.of(new LocalImages.Image(s.name() + " service", dir, "service-" + s.name())));
    }

    /** The service's image tag, built first if missing; {@code out} hears the progress. */
    String ensure(Service service, BuildOutput out) {
        return byService.get(service.name()).ensure(out).get("service-" + service.name());
    }
}
