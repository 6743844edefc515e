package io.slipway.controller.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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
import io.slipway.controller.Controller;
import io.slipway.controller.ControllerConfig;
import io.slipway.controller.docker.DockerEngine;
import io.slipway.controller.docker.Labels;
import io.slipway.controller.testing.Api;
import io.slipway.controller.testing.SwarmNodes;
import io.slipway.controller.testing.TestPlatform;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SLIPWAY_SCHEDULER=swarm against a real three-node Swarm (three Docker engines on this machine):
 * the controller starts only on a manager, lists the nodes with the platform's dynos on each, and
 * drains a node through the manager, after which Swarm runs its tasks elsewhere.
 */
class SwarmSchedulerTest {
    static SwarmNodes swarm;
    static TestPlatform platform;
    static Api api;
    static String image;

    @BeforeAll
    static void swarmAndController() {
        swarm = SwarmNodes.start(3);
        image = baseImage();
        swarm.loadImage(image);
        platform = TestPlatform.start(Map.of("DOCKER_HOST", swarm.manager().host().toString(),
                "SLIPWAY_SCHEDULER", "swarm"));
        api = Api.of(platform);
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.close();
        }
        if (swarm != null) {
            swarm.close();
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

    /** The stacks' Debian base, which SwarmNodes.start builds first: a small image the nodes can run. */
    private static String baseImage() {
        try (DockerEngine host = DockerEngine.connect()) {
            return host.client().listImagesCmd().withImageNameFilter("slipway/base").exec().stream()
                    .flatMap(i -> i.getRepoTags() == null ? Stream.empty() : Stream.of(i.getRepoTags()))
                    .filter(t -> t.startsWith("slipway/base:")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no slipway/base image: SwarmNodes.start builds it first"));
        }
    }
}
