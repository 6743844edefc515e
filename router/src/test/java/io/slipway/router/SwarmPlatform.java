package io.slipway.router;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.controller.build.LocalImages;
import io.slipway.controller.build.StackImages;
import io.slipway.controller.docker.DockerEngine;
import io.slipway.controller.docker.Labels;
import io.slipway.controller.testing.Api;
import io.slipway.controller.testing.GitPush;
import io.slipway.controller.testing.NetworkPostgres;
import io.slipway.controller.testing.SwarmNodes;
import io.slipway.controller.testing.TestPlatform;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A whole platform in Swarm mode on this one machine, for the multi-node tests and bench/swarm.sh:
 * a Swarm of engines ({@link SwarmNodes}), the platform's PostgreSQL on the Swarm's network, a
 * controller on the host driving the manager, and routers on the first nodes.
 */
final class SwarmPlatform implements AutoCloseable {
    static final Path BUILDPACKS = Path.of("..", "buildpacks").toAbsolutePath().normalize();

    final SwarmNodes swarm;
    /** The base image, in every node. */
    final String baseImage;
    NetworkPostgres postgres;
    TestPlatform platform;
    Api api;
    final List<SwarmRouter> routers = new ArrayList<>();
    final GitPush buildpack = GitPush.of(Path.of("../controller/src/test/resources/fixtures/hello-buildpack"));

    private SwarmPlatform(SwarmNodes swarm, String baseImage) {
        this.swarm = swarm;
        this.baseImage = baseImage;
    }

    /** {@code nodes} engines in a Swarm, the controller with {@code extraEnv}, and a router on each of nodes 1..{@code routers}. */
    static SwarmPlatform start(int nodes, int routers, Map<String, String> extraEnv) {
        SwarmNodes swarm = SwarmNodes.start(nodes);
        SwarmPlatform p;
        // The stack and registry images go into the manager once, as an operator installs them; the
        // apps' images reach the other nodes only through the platform's registry.
        try (DockerEngine host = DockerEngine.connect()) {
            var stack = new StackImages(host, BUILDPACKS.resolve("stack")).ensure(line -> { });
            String registry = new LocalImages(host, BUILDPACKS.resolve("stack").resolve("base"), "slipway/",
                    "the registry image", "buildpacks/services/registry/", Labels.ROLE_SERVICE,
                    List.of(new LocalImages.Image("registry", BUILDPACKS.resolve("services").resolve("registry"),
                            "service-registry"))).ensure(line -> { }).get("service-registry");
            p = new SwarmPlatform(swarm, "slipway/base:bookworm-" + LocalImages.hash(BUILDPACKS.resolve("stack").resolve("base"), ""));
            swarm.loadImage(p.baseImage);
            List.of(stack.build(), stack.run(), registry).parallelStream().forEach(other -> swarm.loadImage(1, other));
        } catch (RuntimeException e) {
            swarm.close();
            throw e;
        }
        try {
            // The platform's database where the routers on the nodes reach it too: on the Swarm's network.
            p.postgres = NetworkPostgres.start(swarm.host(), swarm.network());
            Map<String, String> env = new HashMap<>(Map.of("DOCKER_HOST", swarm.manager().host().toString(),
                    "SLIPWAY_SCHEDULER", "swarm", "SLIPWAY_BOOT_TIMEOUT", "60s", "SLIPWAY_MAX_DYNOS_PER_TYPE", "100",
                    "DATABASE_URL", p.postgres.hostUrl()));
            env.putAll(extraEnv);
            p.platform = TestPlatform.start(env);
            p.api = Api.of(p.platform);
            // A router on each node that takes traffic, as an operator runs them.
            for (int n = 1; n <= routers; n++) {
                p.routers.add(SwarmRouter.start(swarm, n, p.postgres.networkUrl()));
            }
            return p;
        } catch (RuntimeException e) {
            p.close();
            throw e;
        }
    }

    /** Creates an app that builds with the fixture buildpack. */
    void app(String name) {
        Api.Response created = api.post("/apps", "{\"name\":\"" + name + "\"}");
        if (created.status() != 201) {
            throw new IllegalStateException("could not create " + name + ": " + created.body());
        }
        api.patch("/apps/" + name + "/config-vars", "{\"BUILDPACK_URL\":\"file://" + buildpack.dir() + "\"}");
    }

    /** The app's dynos that are up, as {@code GET /apps/{app}/dynos} shows them. */
    static List<JsonNode> up(Api api, String app) {
        List<JsonNode> up = new ArrayList<>();
        for (JsonNode d : Api.json(api.get("/apps/" + app + "/dynos"))) {
            if (d.get("state").asText().equals("up")) {
                up.add(d);
            }
        }
        return up;
    }

    @Override
    public void close() {
        routers.forEach(SwarmRouter::close);
        if (platform != null) {
            platform.close();
        }
        if (postgres != null) {
            postgres.close();
        }
        swarm.close();
    }
}
