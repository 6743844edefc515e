package io.slipway.router;

import static io.slipway.router.SwarmPlatform.up;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.model.ContainerSpec;
import com.github.dockerjava.api.model.EndpointResolutionMode;
import com.github.dockerjava.api.model.EndpointSpec;
import com.github.dockerjava.api.model.NetworkAttachmentConfig;
import com.github.dockerjava.api.model.PortConfig;
import com.github.dockerjava.api.model.PortConfigProtocol;
import com.github.dockerjava.api.model.ServiceModeConfig;
import com.github.dockerjava.api.model.ServiceReplicatedModeOptions;
import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.api.model.TaskSpec;
import com.github.dockerjava.api.model.TaskState;
import io.slipway.controller.docker.Networks;
import io.slipway.controller.testing.Api;
import io.slipway.controller.testing.ControllerProcess;
import io.slipway.controller.testing.GitPush;
import io.slipway.controller.testing.TestPlatform;
import io.slipway.keys.CertKey;
import io.slipway.keys.LogKey;
import io.slipway.keys.RegistryPassword;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Issue 16's figures, printed by {@code bench/swarm.sh} (never part of the test suite): on a Swarm
 * of three engines on this machine, with routers on node-1 and node-2, how long {@code ps:scale
 * web=1→30} takes until every dyno answers through a router; what share of requests at 100/s fails
 * through ten deploys and while a node dies, and how soon its dynos run elsewhere; how soon a second
 * controller leads and carries out a change after the leader is killed with SIGKILL.
 */
@EnabledIfSystemProperty(named = "slipway.bench", matches = "swarm")
class SwarmBench {
    private static final String APP = "bench";
    private final Map<String, String> figures = new LinkedHashMap<>();

    @Test
    void figures() throws Exception {
        try (SwarmPlatform p = SwarmPlatform.start(3, 2, Map.of())) {
            try {
                run(p);
            } finally {
                System.out.println();
                System.out.println("bench/swarm.sh: issue 16's figures (3 engines on one 2-core machine, routers on node-1 and node-2)");
                figures.forEach((what, value) -> System.out.printf("  %-72s %s%n", what, value));
            }
        }
    }

    private void run(SwarmPlatform p) throws Exception {
        Api api = p.api;
        SwarmRouter router = p.routers.getFirst();
        p.app(APP);
        GitPush repo = GitPush.init().write("hello.txt", "hi\n")
                .write("Procfile", "web: echo $DYNO > whoami; exec python3 -m http.server $PORT --bind 0.0.0.0\n")
                .write("version", "0\n").commit("v1");
        GitPush.Result first = repo.push(p.platform.apiUrl(), APP, p.platform.adminToken());
        assertThat(first.output()).as(first.output()).contains("Released v1");
        awaitUntil("v1's web dyno up", Duration.ofSeconds(120), () -> up(api, APP).size() == 1);

        // ps:scale web=1 -> 30: until all are up, and until each one has answered through a router.
        long t0 = System.nanoTime();
        assertThat(api.patch("/apps/" + APP + "/formation", "{\"updates\":[{\"type\":\"web\",\"quantity\":30}]}").status())
                .isEqualTo(200);
        awaitUntil("30 web dynos up", Duration.ofSeconds(300), () -> up(api, APP).size() == 30);
        long allUp = System.nanoTime() - t0;
        HttpClient client = HttpClient.newHttpClient();
        Set<String> answered = new HashSet<>();
        for (int i = 0; i < 3000 && answered.size() < 30; i++) { // bounded
            HttpResponse<String> r = router.get(client, APP, "/whoami");
            if (r.statusCode() == 200) {
                answered.add(r.body().strip());
            }
        }
        long routable = System.nanoTime() - t0;
        figures.put("ps:scale web=1->30: all up (API) / all answered through a router (goal < 15 s)",
                seconds(allUp) + " / " + seconds(routable) + " (" + answered.size() + " of 30 answered)");

        // Back to 6 web dynos, then the anchor: Swarm itself starting 30 bare containers on the same
        // network with the same kind of published port, with no health check and nothing of Slipway's.
        api.patch("/apps/" + APP + "/formation", "{\"updates\":[{\"type\":\"web\",\"quantity\":6}]}");
        awaitUntil("6 web dynos", Duration.ofSeconds(120), () -> Api.json(api.get("/apps/" + APP + "/dynos")).size() == 6);
        figures.put("  anchor: Swarm starting 30 bare containers (sleep) on the app's network, until all run",
                seconds(bareServiceStart(p, 30)));
        int failedDeploys = 0;
        long deploysStarted = System.nanoTime();
        try (SteadyLoad load = SteadyLoad.start(p.swarm.routerPort(1), APP, "/version", 100, 60_000, Duration.ofMinutes(10))) {
            for (int v = 2; v <= 11; v++) {
                GitPush.Result push = repo.write("version", v + "\n").commit("v" + v)
                        .push(p.platform.apiUrl(), APP, p.platform.adminToken());
                if (push.exit() != 0 || !push.output().contains("Released v" + v)) {
                    failedDeploys++;
                    System.out.println("deploy of v" + v + " failed:\n" + push.output());
                }
            }
            SteadyLoad.Result result = load.stop();
            figures.put("10 deploys of 6 web dynos: deploys failed (goal 0) / took", failedDeploys + " / "
                    + seconds(System.nanoTime() - deploysStarted));
            figures.put("  requests at 100/s through a router meanwhile (goal 0 failed)", result.toString());
        }

        leaderKill(p);

        // A node dies under 100 requests/s: failures, and until its dynos are up on the others.
        long onNode3 = up(api, APP).stream().filter(d -> d.get("node").asText().equals("node-3")).count();
        try (SteadyLoad load = SteadyLoad.start(p.swarm.routerPort(1), APP, "/version", 100, 20_000, Duration.ofMinutes(3))) {
            Thread.sleep(2_000);
            long killed = System.nanoTime();
            p.swarm.kill(3);
            awaitUntil("6 web dynos up, none on the dead node-3", Duration.ofSeconds(180), () -> {
                var upNow = up(api, APP);
                return upNow.size() == 6 && upNow.stream().noneMatch(d -> d.get("node").asText().equals("node-3"));
            });
            long replaced = System.nanoTime() - killed;
            Thread.sleep(2_000);
            SteadyLoad.Result result = load.stop();
            figures.put("node-3 killed (" + onNode3 + " of 6 dynos on it): replacements up (goal < 20 s)", seconds(replaced));
            figures.put("  requests at 100/s through the router on node-1 (goal < 1 % failed)", result.toString());
        }
    }

    /**
     * A second controller on the same database, then the leader killed with SIGKILL: how soon the
     * other leads, and how soon a scale asked of it right after the kill is carried out.
     */
    private void leaderKill(SwarmPlatform p) throws Exception {
        // The in-process controller leads first; hand the lead to a controller process, which can be killed.
        Path home = Files.createTempDirectory("slipway-bench-second-");
        Map<String, String> env = new HashMap<>(p.platform.env());
        for (String key : new String[] {CertKey.FILE, LogKey.FILE, RegistryPassword.FILE}) {
            Files.copy(p.platform.home().resolve(key), home.resolve(key));
        }
        env.put("SLIPWAY_HOME", home.toString());
        for (String port : new String[] {"SLIPWAY_API_PORT", "SLIPWAY_LOG_PORT", "SLIPWAY_API_TLS_PORT", "SLIPWAY_RENDEZVOUS_PORT"}) {
            env.put(port, Integer.toString(TestPlatform.freePort()));
        }
        Api second = new Api("http://127.0.0.1:" + env.get("SLIPWAY_API_PORT"), p.platform.adminToken());
        try (ControllerProcess process = ControllerProcess.start(env, home.resolve("controller.log"))) {
            p.platform.stopController();
            awaitUntil("the controller process leading", Duration.ofSeconds(30), () -> leads(second));
            p.platform.startController();
            Api first = Api.of(p.platform);
            awaitUntil("the in-process controller back, following", Duration.ofSeconds(60), () -> !leads(first));

            long killed = System.nanoTime();
            process.kill();
            assertThat(first.patch("/apps/" + APP + "/formation", "{\"updates\":[{\"type\":\"web\",\"quantity\":7}]}").status())
                    .isEqualTo(200);
            awaitUntil("the in-process controller leading", Duration.ofSeconds(30), () -> leads(first));
            long leading = System.nanoTime() - killed;
            awaitUntil("7 web dynos up", Duration.ofSeconds(120), () -> up(first, APP).size() == 7);
            long carriedOut = System.nanoTime() - killed;
            figures.put("leader killed (SIGKILL): the other leads / a scale asked right after is up (goal < 10 s)",
                    seconds(leading) + " / " + seconds(carriedOut));
            first.patch("/apps/" + APP + "/formation", "{\"updates\":[{\"type\":\"web\",\"quantity\":6}]}");
            awaitUntil("6 web dynos", Duration.ofSeconds(120), () -> up(first, APP).size() == 6
                    && Api.json(first.get("/apps/" + APP + "/dynos")).size() == 6);
        } finally {
            deleteTree(home);
        }
    }

    /** Nanoseconds from creating a plain Swarm service of {@code replicas} until all its tasks run; it is removed after. */
    private static long bareServiceStart(SwarmPlatform p, int replicas) throws InterruptedException {
        var manager = p.swarm.manager().client();
        String name = p.swarm.prefix() + "-anchor";
        long t0 = System.nanoTime();
        manager.createServiceCmd(new ServiceSpec().withName(name)
                .withTaskTemplate(new TaskSpec()
                        .withContainerSpec(new ContainerSpec().withImage(p.baseImage).withCommand(List.of("sleep", "600")))
                        .withNetworks(List.of(new NetworkAttachmentConfig()
                                .withTarget(Networks.appNetwork(p.platform.platformId(), APP)))))
                .withMode(new ServiceModeConfig().withReplicated(new ServiceReplicatedModeOptions().withReplicas(replicas)))
                .withEndpointSpec(new EndpointSpec().withMode(EndpointResolutionMode.DNSRR).withPorts(List.of(new PortConfig()
                        .withTargetPort(5000).withProtocol(PortConfigProtocol.TCP).withPublishMode(PortConfig.PublishMode.host)))))
                .exec();
        try {
            awaitUntil(replicas + " bare tasks running", Duration.ofSeconds(300), () -> manager.listTasksCmd()
                    .withServiceFilter(name).exec().stream()
                    .filter(t -> t.getStatus() != null && t.getStatus().getState() == TaskState.RUNNING).count() == replicas);
            return System.nanoTime() - t0;
        } finally {
            manager.removeServiceCmd(name).exec();
        }
    }

    private static boolean leads(Api api) {
        try {
            JsonNode health = Api.json(api.get("/healthz"));
            return health.get("leads").asBoolean();
        } catch (RuntimeException notAnswering) {
            return false;
        }
    }

    /** Polls {@code condition} every 100 ms; says what it waits for every 10 s; fails after {@code atMost}. */
    private static void awaitUntil(String what, Duration atMost, BooleanSupplier condition) throws InterruptedException {
        long start = System.nanoTime();
        long nextSay = start + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            long now = System.nanoTime();
            if (now - start > atMost.toNanos()) {
                throw new AssertionError("gave up waiting for " + what + " after " + atMost.toSeconds() + " s");
            }
            if (now > nextSay) {
                System.out.println("bench/swarm.sh: waiting for " + what + " (" + seconds(now - start) + " so far)");
                nextSay = now + Duration.ofSeconds(10).toNanos();
            }
            Thread.sleep(100);
        }
    }

    private static String seconds(long nanos) {
        return String.format("%.1f s", nanos / 1e9);
    }

    private static void deleteTree(Path p) throws java.io.IOException {
        try (var walk = Files.walk(p)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
        }
    }
}
