package io.slipway.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static io.slipway.router.SwarmPlatform.up;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.ContainerSpec;
import com.github.dockerjava.api.model.ServiceModeConfig;
import com.github.dockerjava.api.model.ServiceReplicatedModeOptions;
import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.api.model.Task;
import com.github.dockerjava.api.model.TaskSpec;
import com.github.dockerjava.api.model.TaskState;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.ExecCreateCmdResponse;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Frame;
import io.slipway.controller.testing.GitPush;
import java.util.ArrayList;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.concurrent.TimeUnit;
import io.slipway.controller.Controller;
import io.slipway.controller.ControllerConfig;
import io.slipway.controller.docker.DockerEngine;
import io.slipway.controller.docker.Labels;
import io.slipway.controller.docker.Networks;
import io.slipway.controller.testing.Api;
import io.slipway.controller.testing.SwarmNodes;
import io.slipway.controller.testing.TestPlatform;
import io.slipway.controller.testing.WsClient;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * SLIPWAY_SCHEDULER=swarm against a real three-node Swarm (three Docker engines on this machine):
 * the controller starts only on a manager, lists the nodes with the platform's dynos on each, and
 * drains a node through the manager, after which Swarm runs its tasks elsewhere. A `git push`
 * builds on the manager's engine, the image goes through the platform's registry to the nodes that
 * pull it, each (app, process type, release) is a Swarm service whose replicas are the formation,
 * and `ps` says which node each dyno is on. Routers on two of the nodes, reading routes from the
 * same PostgreSQL, send each app's requests to every one of its web dynos, whichever node it is on.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SwarmPlatformTest {
    static SwarmPlatform fixture;
    static SwarmNodes swarm;
    static TestPlatform platform;
    static List<SwarmRouter> routers;
    static Api api;
    static String image;

    @BeforeAll
    static void swarmAndController() {
        fixture = SwarmPlatform.start(3, 2, Map.of());
        swarm = fixture.swarm;
        platform = fixture.platform;
        routers = fixture.routers;
        api = fixture.api;
        image = fixture.baseImage;
    }

    @AfterAll
    static void stop() throws java.io.IOException {
        if (fixture != null) {
            String prefix = swarm.prefix();
            fixture.close();
            // The harness leaves nothing behind: no node, network or node cgroup of its own (others may run meanwhile).
            try (DockerEngine host = DockerEngine.connect()) {
                assertThat(host.client().listContainersCmd().withShowAll(true).exec())
                        .noneMatch(c -> List.of(c.getNames()).stream().anyMatch(n -> n.startsWith("/" + prefix)));
                assertThat(host.client().listNetworksCmd().exec()).noneMatch(n -> n.getName().startsWith(prefix));
            }
            try (var cgroups = java.nio.file.Files.list(Path.of("/sys/fs/cgroup/cpu"))) {
                assertThat(cgroups.map(Path::getFileName).map(Path::toString)).noneMatch(n -> n.startsWith(prefix));
            }
        }
    }

    @Test
    void nodesListsEveryNodeWithItsRoleAndThePlatformsDynosRunningOnIt() {
        DockerClient manager = swarm.manager().client();
        manager.createServiceCmd(service("ours-web", platform.platformId(), 3)).exec();
        manager.createServiceCmd(service("theirs-web", "another-platform", 2)).exec();
        try {
            await("5 running tasks").atMost(Duration.ofSeconds(60)).until(() -> running(manager, "ours-web").size() == 3
                    && running(manager, "theirs-web").size() == 2);
            Map<String, Long> oursByHost = byHost(manager, running(manager, "ours-web"));

            JsonNode nodes = Api.json(ok(api.get("/nodes")));
            assertThat(nodes).hasSize(3);
            assertThat(nodes.findValuesAsText("hostname")).containsExactly("node-1", "node-2", "node-3");
            Map<String, Long> dynos = new TreeMap<>();
            for (JsonNode node : nodes) {
                assertThat(node.get("state").asText()).isEqualTo("ready");
                assertThat(node.get("cpus").asDouble()).isPositive();
                assertThat(node.get("memory_bytes").asLong()).isPositive();
                assertThat(node.get("engine_version").asText()).isNotBlank();
                assertThat(node.get("id").asText()).hasSize(25);
                dynos.put(node.get("hostname").asText(), node.get("dynos").asLong());
            }
            assertThat(nodes.get(0).get("role").asText()).isEqualTo("manager");
            assertThat(nodes.get(0).get("leader").asBoolean()).isTrue();
            assertThat(nodes.get(1).get("role").asText()).isEqualTo("worker");
            // only this platform's dynos count, on the node Swarm put each of them
            assertThat(dynos.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(3);
            for (String host : List.of("node-1", "node-2", "node-3")) {
                assertThat(dynos.get(host)).as("dynos on " + host).isEqualTo(oursByHost.getOrDefault(host, 0L));
            }
        } finally {
            manager.removeServiceCmd("ours-web").exec();
            manager.removeServiceCmd("theirs-web").exec();
        }
    }

    @Test
    void aDrainedNodesTasksMoveToTheOtherNodesAndActivateTakesItBack() {
        DockerClient manager = swarm.manager().client();
        manager.createServiceCmd(service("drained-web", platform.platformId(), 3)).exec();
        try {
            await("3 running tasks, one of them on node-2").atMost(Duration.ofSeconds(60))
                    .until(() -> byHost(manager, running(manager, "drained-web")).getOrDefault("node-2", 0L) >= 1
                            && running(manager, "drained-web").size() == 3);

            long drainedAt = System.nanoTime();
            JsonNode drained = Api.json(ok(api.patch("/nodes/node-2", "{\"availability\":\"drain\"}")));
            assertThat(drained.get("hostname").asText()).isEqualTo("node-2");
            assertThat(drained.get("availability").asText()).isEqualTo("drain");

            await("node-2's task running on another node").atMost(Duration.ofSeconds(60)).until(() -> {
                Map<String, Long> hosts = byHost(manager, running(manager, "drained-web"));
                return !hosts.containsKey("node-2") && hosts.values().stream().mapToLong(Long::longValue).sum() == 3;
            });
            System.out.printf("swarm: node-2 drained, its task running elsewhere after %d ms%n",
                    (System.nanoTime() - drainedAt) / 1_000_000);
            JsonNode node2 = node("node-2");
            assertThat(node2.get("availability").asText()).isEqualTo("drain");
            assertThat(node2.get("dynos").asInt()).isZero();

            String id = node2.get("id").asText();
            JsonNode active = Api.json(ok(api.patch("/nodes/" + id, "{\"availability\":\"active\"}")));
            assertThat(active.get("availability").asText()).isEqualTo("active");
            assertThat(node("node-2").get("availability").asText()).isEqualTo("active");
        } finally {
            manager.removeServiceCmd("drained-web").exec();
            api.patch("/nodes/node-2", "{\"availability\":\"active\"}");
        }
    }

    @Test
    void anUnknownNodeOrAvailabilitySaysWhatIsWrongAndChangesNothing() {
        Api.Response unknown = api.patch("/nodes/node-9", "{\"availability\":\"drain\"}");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body()).contains("no node node-9").contains("node-1, node-2, node-3");

        Api.Response bad = api.patch("/nodes/node-3", "{\"availability\":\"off\"}");
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.body()).contains("availability must be active").contains("'off'");
        assertThat(node("node-3").get("availability").asText()).isEqualTo("active");
    }

    @Test
    void aControllerOnAWorkerEngineRefusesToStartAndSaysWhatToDo() {
        Path home = Path.of("/tmp", "slipway-swarm-worker-home-" + System.nanoTime());
        Map<String, String> env = Map.of("SLIPWAY_HOME", home.toString(),
                "DOCKER_HOST", swarm.engine(2).host().toString(), "SLIPWAY_SCHEDULER", "swarm",
                "SLIPWAY_API_PORT", Integer.toString(TestPlatform.freePort()));
        assertThatThrownBy(() -> Controller.start(ControllerConfig.fromEnv(env)).close())
                .hasMessageContaining("SLIPWAY_SCHEDULER=swarm needs the controller's Docker engine to be a Swarm manager")
                .hasMessageContaining(swarm.engine(2).host().toString())
                .hasMessageContaining("is a worker, not a manager: point DOCKER_HOST at a manager's engine");
        assertThat(home).as("nothing made before the refusal").doesNotExist();
    }

    @Test
    void aControllerOnThisMachinesOwnEngineWhichIsInNoSwarmRefusesToStartAndSaysToInitOne() {
        Path home = Path.of("/tmp", "slipway-swarm-host-home-" + System.nanoTime());
        Map<String, String> env = Map.of("SLIPWAY_HOME", home.toString(), "SLIPWAY_SCHEDULER", "swarm",
                "SLIPWAY_API_PORT", Integer.toString(TestPlatform.freePort()));
        assertThatThrownBy(() -> Controller.start(ControllerConfig.fromEnv(env)).close())
                .hasMessageContaining("is not in a Swarm: run `docker swarm init` on this machine")
                .hasMessageContaining("or point DOCKER_HOST at a manager's engine");
        assertThat(home).as("nothing made before the refusal").doesNotExist();
    }

    @Test
    void aPushedAppRunsOnTheNodesThroughTheRegistryAndItsDynosReachEachOtherAcrossNodes() throws Exception {
        app("spread");
        GitPush repo = GitPush.init().write("hello.txt", "hi\n")
                .write("Procfile", "web: echo $DYNO > whoami; exec python3 -m http.server $PORT --bind 0.0.0.0\n").commit("first");
        GitPush.Result push = repo.push(platform.apiUrl(), "spread", platform.adminToken());
        assertThat(push.exit()).as(push.output()).isZero();
        assertThat(push.output()).contains("Released v1");

        long scaledAt = System.nanoTime();
        assertThat(api.patch("/apps/spread/formation", "{\"updates\":[{\"type\":\"web\",\"quantity\":3}]}").status())
                .isEqualTo(200);
        await("3 web dynos up").atMost(Duration.ofSeconds(90)).until(() -> up(api, "spread").size() == 3);
        System.out.printf("figure: swarm scale web=1 -> 3, all up in %d ms%n", (System.nanoTime() - scaledAt) / 1_000_000);
        List<JsonNode> dynos = up(api, "spread");
        Set<String> nodes = new TreeSet<>();
        dynos.forEach(d -> nodes.add(d.get("node").asText()));
        assertThat(nodes).as("Swarm spreads a service's tasks over the nodes").containsExactly("node-1", "node-2", "node-3");
        assertThat(dynos).extracting(d -> d.get("name").asText()).containsExactlyInAnyOrder("web.1", "web.2", "web.3");

        // The workers never had the image: they pulled it from the platform's registry.
        for (int n = 2; n <= 3; n++) {
            List<String> tags = new ArrayList<>();
            swarm.engine(n).client().listImagesCmd().exec().forEach(i -> {
                if (i.getRepoTags() != null) {
                    tags.addAll(List.of(i.getRepoTags()));
                }
            });
            assertThat(tags).as("images on node-" + n).anyMatch(t -> t.endsWith("/" + platform.platformId() + "/spread:v1"));
        }

        // A router on node-1 and one on node-2 each reach every dyno, whichever node it runs on.
        HttpClient client = HttpClient.newHttpClient();
        for (SwarmRouter router : routers) {
            Set<String> answered = new TreeSet<>();
            await("every dyno answering through " + router).atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                HttpResponse<String> r = router.get(client, "spread", "/whoami");
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                answered.add(r.body().strip());
                assertThat(answered).containsExactly("web.1", "web.2", "web.3");
            });
        }

        // A dyno on node-2 reaches the one on node-3 on the app's overlay network (container to container).
        String from = dynoContainer(swarm.engine(2), "spread");
        String to = swarm.engine(3).client().inspectContainerCmd(dynoContainer(swarm.engine(3), "spread")).exec()
                .getNetworkSettings().getNetworks().get(Networks.appNetwork(platform.platformId(), "spread")).getIpAddress();
        String answer = exec(swarm.engine(2).client(), from, "exec 3<>/dev/tcp/" + to + "/5000; "
                + "printf 'GET / HTTP/1.0\\r\\n\\r\\n' >&3; head -n 1 <&3");
        assertThat(answer).startsWith("HTTP/1.0 200");

        // An attached one-off runs on the manager's engine, on the same overlay, with its exit code.
        WsClient run = WsClient.connect(platform.apiUrl(), "spread", platform.adminToken());
        run.request("{\"command\":\"echo from $DYNO; exec 3<>/dev/tcp/" + to + "/5000 && echo reached web.3; exit 7\"}");
        run.awaitClose();
        assertThat(run.out()).contains("from run.").contains("reached web.3");
        assertThat(run.texts).last().isEqualTo("{\"exit\":7}");

        assertThat(api.delete("/apps/spread").status()).isEqualTo(200);
        assertThat(swarm.manager().client().listServicesCmd().exec())
                .as("the app's services go with it").noneMatch(sv -> sv.getSpec().getName().contains("-spread-"));
    }

    @Test
    void aDeployWhileTheRegistryIsDownFailsSayingSoWhileTheLiveReleaseServesAndMoreThanTheNodesHoldIsRefused() {
        app("steady");
        GitPush repo = GitPush.init().write("hello.txt", "one\n")
                .write("Procfile", "web: python3 -m http.server $PORT --bind 0.0.0.0\n").commit("first");
        assertThat(repo.push(platform.apiUrl(), "steady", platform.adminToken()).output()).contains("Released v1");
        await("v1's web dyno up").atMost(Duration.ofSeconds(60)).until(() -> up(api, "steady").size() == 1);

        // Each node has the host's memory; 60 dynos of 2 GB are more than three of them hold.
        Api.Response tooMany = api.patch("/apps/steady/formation",
                "{\"updates\":[{\"type\":\"web\",\"quantity\":60,\"size\":\"performance\"}]}");
        assertThat(tooMany.status()).as(tooMany.body()).isEqualTo(409);
        assertThat(tooMany.body()).contains("cannot scale steady: the Swarm's 3 active nodes have room for")
                .contains("more performance dynos (2048 MB of memory each), not 60");
        JsonNode formation = Api.json(api.get("/apps/steady/formation"));
        assertThat(formation.get(0).get("quantity").asInt()).as("nothing stored").isEqualTo(1);
        assertThat(formation.get(0).get("size").asText()).isEqualTo("standard");

        String registry = "slipway-" + platform.platformId() + "-registry";
        swarm.manager().client().stopContainerCmd(registry).exec();
        try {
            GitPush.Result push = repo.write("hello.txt", "two\n").commit("second")
                    .push(platform.apiUrl(), "steady", platform.adminToken());
            assertThat(push.exit()).isNotZero();
            assertThat(push.output()).contains("Deploy of v2 failed: web could not start: the platform's registry at")
                    .contains("did not take the image").contains("v1 keeps serving");
            JsonNode v2 = Api.json(api.get("/apps/steady/releases/v2"));
            assertThat(v2.get("status").asText()).isEqualTo("failed");
            assertThat(up(api, "steady")).extracting(d -> d.get("release").asText()).containsExactly("v1");
        } finally {
            swarm.manager().client().startContainerCmd(registry).exec();
        }
        assertThat(api.delete("/apps/steady").status()).isEqualTo(200);
    }

    /** Last: node-3 stays dead for the rest of this Swarm's life. */
    @Test
    @Order(Integer.MAX_VALUE)
    void theDynosOfANodeThatDiesRunAgainOnTheOthersAndRoutersSendToThem() throws Exception {
        app("survivor");
        GitPush repo = GitPush.init().write("hello.txt", "hi\n")
                .write("Procfile", "web: python3 -m http.server $PORT --bind 0.0.0.0\n").commit("first");
        assertThat(repo.push(platform.apiUrl(), "survivor", platform.adminToken()).output()).contains("Released v1");
        api.patch("/apps/survivor/formation", "{\"updates\":[{\"type\":\"web\",\"quantity\":3}]}");
        await("a web dyno up on each node").atMost(Duration.ofSeconds(90)).until(() ->
                up(api, "survivor").stream().map(d -> d.get("node").asText()).distinct().count() == 3);

        HttpClient client = HttpClient.newHttpClient();
        SwarmRouter router = routers.getFirst();
        await("the router on node-1 routing to survivor").atMost(Duration.ofSeconds(20))
                .until(() -> router.get(client, "survivor", "/").statusCode() == 200);

        // Requests keep coming at 50/s through the router on node-1 while Swarm notices and replaces.
        SteadyLoad.Result result;
        long replacedMs;
        try (SteadyLoad load = SteadyLoad.start(swarm.routerPort(1), "survivor", "/", 50, 6_000, Duration.ofMinutes(2))) {
            Thread.sleep(1_000);
            long killedAt = System.nanoTime();
            swarm.kill(3);
            await("3 web dynos up, none on the dead node-3").atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(200)).until(() -> {
                        List<JsonNode> up = up(api, "survivor");
                        return up.size() == 3 && up.stream().noneMatch(d -> d.get("node").asText().equals("node-3"));
                    });
            replacedMs = (System.nanoTime() - killedAt) / 1_000_000;
            Thread.sleep(1_000);
            result = load.stop();
        }
        System.out.printf("figure: swarm node killed -> its dyno up on another node after %d ms; through a router "
                + "meanwhile, %s%n", replacedMs, result);
        // A router that finds a node silent moves the requests waiting on it to the other nodes' dynos
        // (the goal is < 1 %; before, about 11 % hung until they timed out).
        assertThat(result.failedPercent()).as(result.toString()).isLessThan(5.0);
        for (int i = 0; i < 10; i++) {
            assertThat(router.get(client, "survivor", "/").statusCode()).as("request " + i + " after the replacements")
                    .isEqualTo(200);
        }
        assertThat(Api.json(api.get("/apps/survivor/dynos"))).as("no row left for the dead node's task")
                .noneMatch(d -> d.get("node").asText().equals("node-3"));
        assertThat(api.delete("/apps/survivor").status()).isEqualTo(200);
    }

    @Test
    void dynoOutputFromEveryNodeReachesTheAppsOneStreamAndSurvivesAControllerRestart() throws InterruptedException {
        app("chatty");
        // Each web dyno says hello, ticks five times a second, and says bye when it is stopped.
        GitPush repo = GitPush.init().write("hello.txt", "hi\n").write("Procfile", "web: trap 'echo \"bye from $DYNO\"' TERM; "
                + "echo \"hello from $DYNO on $(hostname)\"; (i=0; while sleep 0.2; do i=$((i+1)); echo \"tick $i\"; done) & "
                + "python3 -m http.server $PORT --bind 0.0.0.0 & wait\n").commit("first");
        GitPush.Result push = repo.push(platform.apiUrl(), "chatty", platform.adminToken());
        assertThat(push.exit()).as(push.output()).isZero();
        try {
            assertThat(api.patch("/apps/chatty/formation", "{\"updates\":[{\"type\":\"web\",\"quantity\":3}]}")
                    .status()).isEqualTo(200);
            await("3 web dynos up").atMost(Duration.ofSeconds(90)).until(() -> up(api, "chatty").size() == 3);
            long upAt = System.nanoTime();
            List<String> dynos = List.of("web.1", "web.2", "web.3");
            Pattern hello = Pattern.compile(" app\\[(web\\.\\d)\\]: hello from (web\\.\\d) on ([0-9a-f]{12})$");
            await("a hello line of each dyno in the app's log").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(appLog("chatty").stream().map(hello::matcher).filter(java.util.regex.Matcher::find)
                            .map(m -> m.group(1)).collect(Collectors.toSet())).as("dynos heard from").containsAll(dynos));
            System.out.printf("figure: swarm, every dyno's first line in the app's log %d ms after all 3 were up%n",
                    (System.nanoTime() - upAt) / 1_000_000);

            // Each line's hostname is its task's container: which node it ran on, from the nodes' own engines.
            Map<String, String> nodeOf = new TreeMap<>();
            for (int n = 1; n <= 3; n++) {
                for (Container c : swarm.engine(n).client().listContainersCmd()
                        .withLabelFilter(Map.of(Labels.APP, "chatty", Labels.ROLE, Labels.ROLE_DYNO)).exec()) {
                    nodeOf.put(c.getId().substring(0, 12), "node-" + n);
                }
            }
            Set<String> nodes = new TreeSet<>();
            for (String line : appLog("chatty")) {
                var m = hello.matcher(line);
                if (m.find()) {
                    assertThat(m.group(1)).as("the stream names the dyno that printed it").isEqualTo(m.group(2));
                    nodes.add(nodeOf.get(m.group(3)));
                }
            }
            assertThat(nodes).as("lines from dynos on several nodes").doesNotContainNull().hasSizeGreaterThanOrEqualTo(2);

            // Restarted, the controller takes up each task's output where its log stopped: no tick twice, none lost.
            Map<String, Integer> before = new TreeMap<>();
            dynos.forEach(d -> before.put(d, lastTick(appLog("chatty"), d)));
            long restartedAt = System.nanoTime();
            platform.restartController();
            await("10 more ticks of each dyno after the restart").atMost(Duration.ofSeconds(60)).until(() -> {
                List<String> log = appLog("chatty");
                return dynos.stream().allMatch(d -> lastTick(log, d) > before.get(d) + 10);
            });
            System.out.printf("figure: swarm, 10 more ticks of each dyno in the log %d ms after the controller restarted%n",
                    (System.nanoTime() - restartedAt) / 1_000_000);
            List<String> log = appLog("chatty");
            dynos.forEach(d -> assertEachLineOnce(log, d));

            // Scaled down, the dyno that stops has its last line, said as it stopped, in the stream once.
            assertThat(api.patch("/apps/chatty/formation", "{\"updates\":[{\"type\":\"web\",\"quantity\":2}]}")
                    .status()).isEqualTo(200);
            await("2 web dynos up").atMost(Duration.ofSeconds(60)).until(() -> up(api, "chatty").size() == 2);
            Set<String> gone = new TreeSet<>(dynos);
            up(api, "chatty").forEach(d -> gone.remove(d.get("name").asText()));
            assertThat(gone).hasSize(1);
            String stopped = gone.iterator().next();
            await(stopped + "'s bye").atMost(Duration.ofSeconds(30)).until(() ->
                    appLog("chatty").stream().anyMatch(l -> l.endsWith(" app[" + stopped + "]: bye from " + stopped)));
            Thread.sleep(2000); // a line read twice would arrive meanwhile
            List<String> after = appLog("chatty");
            dynos.forEach(d -> assertEachLineOnce(after, d));
            assertThat(after).filteredOn(l -> l.endsWith(" app[" + stopped + "]: bye from " + stopped)).hasSize(1);
        } finally {
            assertThat(api.delete("/apps/chatty").status()).isEqualTo(200);
        }
    }

    private static List<String> appLog(String app) {
        Api.Response r = api.get("/apps/" + app + "/log-stream?lines=100000&source=app");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.body().lines().toList();
    }

    /** The dyno's hello once, and its ticks from the first, in order, each once. */
    private static void assertEachLineOnce(List<String> log, String dyno) {
        List<Integer> ticks = log.stream().filter(l -> l.contains(" app[" + dyno + "]: tick "))
                .map(l -> Integer.parseInt(l.substring(l.lastIndexOf(' ') + 1))).toList();
        assertThat(ticks).as(dyno + "'s ticks").isNotEmpty().startsWith(1);
        for (int i = 0; i < ticks.size(); i++) {
            assertThat(ticks.get(i)).as(dyno + "'s tick after " + (i == 0 ? "none" : ticks.get(i - 1))).isEqualTo(i + 1);
        }
        assertThat(log).filteredOn(l -> l.contains(" app[" + dyno + "]: hello from ")).as(dyno + "'s hello").hasSize(1);
    }

    private static int lastTick(List<String> log, String dyno) {
        int last = -1;
        for (String l : log) {
            if (l.contains(" app[" + dyno + "]: tick ")) {
                last = Integer.parseInt(l.substring(l.lastIndexOf(' ') + 1));
            }
        }
        return last;
    }

    static void app(String name) {
        fixture.app(name);
    }

    static String dynoContainer(DockerEngine node, String app) {
        List<Container> found = node.client().listContainersCmd()
                .withLabelFilter(Map.of(Labels.APP, app, Labels.ROLE, Labels.ROLE_DYNO)).exec();
        assertThat(found).as("a dyno of " + app + " on this node").isNotEmpty();
        return found.getFirst().getId();
    }

    static String exec(DockerClient docker, String container, String script) throws InterruptedException {
        ExecCreateCmdResponse exec = docker.execCreateCmd(container).withCmd("bash", "-c", script)
                .withAttachStdout(true).withAttachStderr(true).exec();
        StringBuilder out = new StringBuilder();
        docker.execStartCmd(exec.getId()).exec(new ResultCallback.Adapter<Frame>() {
            @Override
            public void onNext(Frame frame) {
                out.append(new String(frame.getPayload()));
            }
        }).awaitCompletion(20, TimeUnit.SECONDS);
        return out.toString();
    }

    private static JsonNode node(String hostname) {
        for (JsonNode node : Api.json(ok(api.get("/nodes")))) {
            if (node.get("hostname").asText().equals(hostname)) {
                return node;
            }
        }
        throw new AssertionError("no node " + hostname + " in GET /nodes");
    }

    private static Api.Response ok(Api.Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r;
    }

    /** A service whose containers carry the labels the platform's dynos carry. */
    private static ServiceSpec service(String name, String platformId, int replicas) {
        return new ServiceSpec().withName(name)
                .withTaskTemplate(new TaskSpec().withContainerSpec(new ContainerSpec().withImage(image)
                        .withCommand(List.of("sleep", "600"))
                        .withLabels(Map.of(Labels.PLATFORM, platformId, Labels.ROLE, Labels.ROLE_DYNO))))
                .withMode(new ServiceModeConfig().withReplicated(new ServiceReplicatedModeOptions().withReplicas(replicas)));
    }

    private static List<Task> running(DockerClient manager, String service) {
        return manager.listTasksCmd().withServiceFilter(service).exec().stream()
                .filter(t -> t.getDesiredState() == TaskState.RUNNING)
                .filter(t -> t.getStatus() != null && t.getStatus().getState() == TaskState.RUNNING)
                .toList();
    }

    private static Map<String, Long> byHost(DockerClient manager, List<Task> tasks) {
        Map<String, String> hostOf = manager.listSwarmNodesCmd().exec().stream()
                .collect(Collectors.toMap(n -> n.getId(), n -> n.getDescription().getHostname()));
        return tasks.stream().collect(Collectors.groupingBy(t -> hostOf.get(t.getNodeId()), Collectors.counting()));
    }
}
