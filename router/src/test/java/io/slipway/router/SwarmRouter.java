package io.slipway.router;

import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import io.slipway.controller.build.LocalImages;
import io.slipway.controller.testing.SwarmNodes;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A router on a node of the test Swarm, as an operator runs one on each machine that takes
 * traffic: the router's own classes and JVM (this test's, mounted read-only) in a container of the
 * base image that shares the node container's network namespace. So it reaches the nodes at their
 * addresses on the Swarm's network, as a router on a real node does, and the host reaches it only
 * through the node's port published on 127.0.0.1 ({@link SwarmNodes#routerPort}).
 */
final class SwarmRouter implements AutoCloseable {
    private final SwarmNodes swarm;
    private final int node;
    private final String container;

    private SwarmRouter(SwarmNodes swarm, int node, String container) {
        this.swarm = swarm;
        this.node = node;
        this.container = container;
    }

    /** Starts a router on node {@code node} reading routes from {@code databaseUrl}; returns once it answers. */
    static SwarmRouter start(SwarmNodes swarm, int node, String databaseUrl) {
        String image = "slipway/base:bookworm-" + LocalImages.hash(Path.of("..", "buildpacks", "stack", "base")
                .toAbsolutePath().normalize(), "");
        // Mounted under /slipway, not at their own paths: those may be under /root, which nobody may enter.
        List<Bind> binds = new ArrayList<>();
        binds.add(new Bind(System.getProperty("java.home"), new Volume("/slipway/jdk"), AccessMode.ro));
        List<String> classPath = new ArrayList<>();
        for (String entry : System.getProperty("router.runtime.classpath").split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                String inside = "/slipway/cp/" + classPath.size() + "-" + Path.of(entry).getFileName();
                binds.add(new Bind(entry, new Volume(inside), AccessMode.ro));
                classPath.add(inside);
            }
        }
        List<String> command = new ArrayList<>();
        command.add("/slipway/jdk/bin/java");
        command.addAll(RouterProcess.JVM_OPTS);
        if (Runtime.version().feature() >= 24) {
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.addAll(List.of("-cp", String.join(":", classPath), Main.class.getName()));
        String id = swarm.host().client().createContainerCmd(image)
                .withName(swarm.prefix() + "-router-" + node)
                .withUser("65534:65534")
                .withEnv("DATABASE_URL=" + databaseUrl, "SLIPWAY_ROUTER_PORT=" + SwarmNodes.ROUTER_PORT,
                        "SLIPWAY_BIND=0.0.0.0", "SLIPWAY_ROUTER_TLS_PORT=off", "SLIPWAY_DOMAIN=localhost",
                        "SLIPWAY_ROUTER_LOG=stdout", "SLIPWAY_HOME=/tmp/slipway")
                .withCmd(command)
                .withHostConfig(HostConfig.newHostConfig().withNetworkMode("container:" + swarm.container(node))
                        .withBinds(binds).withTmpFs(java.util.Map.of("/tmp", "")))
                .exec().getId();
        swarm.host().client().startContainerCmd(id).exec();
        SwarmRouter router = new SwarmRouter(swarm, node, id);
        router.awaitHealthy();
        return router;
    }

    /** GET {@code path} of {@code app} through this router, from the host. */
    HttpResponse<String> get(HttpClient client, String app, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + swarm.routerPort(node) + path))
                .header("Host", app + ".localhost").timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private void awaitHealthy() {
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                var r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + swarm.routerPort(node) + "/healthz"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (Exception e) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the router on node-" + node + " did not answer /healthz within 60 s; see `docker logs "
                        + swarm.prefix() + "-router-" + node + "`");
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** The router's output, kept under target/ for a failure's reader (the container goes). */
    private void keepLog() {
        Path file = Path.of("target", "swarm-router-" + node + ".log");
        try (var out = java.nio.file.Files.newBufferedWriter(file)) {
            swarm.host().client().logContainerCmd(container).withStdOut(true).withStdErr(true).withTailAll()
                    .exec(new com.github.dockerjava.api.async.ResultCallback.Adapter<com.github.dockerjava.api.model.Frame>() {
                        @Override
                        public void onNext(com.github.dockerjava.api.model.Frame frame) {
                            try {
                                out.write(new String(frame.getPayload(), java.nio.charset.StandardCharsets.UTF_8));
                            } catch (java.io.IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        }
                    }).awaitCompletion(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            // a log is a help, not a result
        }
    }

    @Override
    public String toString() {
        return "the router on node-" + node;
    }

    @Override
    public void close() {
        keepLog();
        try {
            swarm.host().client().removeContainerCmd(container).withForce(true).exec();
        } catch (RuntimeException gone) {
            // already removed
        }
    }
}
