package io.slipway.controller.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.ContainerSpec;
import com.github.dockerjava.api.model.ServiceModeConfig;
import com.github.dockerjava.api.model.ServiceReplicatedModeOptions;
import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.api.model.Task;
import com.github.dockerjava.api.model.TaskSpec;
import com.github.dockerjava.api.model.TaskState;
import io.slipway.controller.docker.DockerEngine;
import io.slipway.controller.testing.SwarmNodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The ground the Swarm scheduler (issue 16) stands on: three Docker engines on this machine form a
 * Swarm, a replicated service spreads over them, a node that dies has its task started elsewhere,
 * and the harness leaves nothing behind.
 */
class SwarmHarnessTest {
    @Test
    void threeEnginesFormASwarmThatSpreadsAServiceAndReplacesTheTaskOfANodeThatDies() {
        String network;
        try (SwarmNodes swarm = SwarmNodes.start(3)) {
            network = swarm.prefix(); // none of its names may be left once closed (other harnesses may run meanwhile)
            assertThat(swarm.readyNodes()).as("nodes the manager sees Ready").isEqualTo(3);
            String image = baseImage();
            swarm.loadImage(image);
            DockerClient manager = swarm.manager().client();
            manager.createServiceCmd(new ServiceSpec().withName("spread")
                    .withTaskTemplate(new TaskSpec().withContainerSpec(new ContainerSpec().withImage(image).withCommand(List.of("sleep", "600"))))
                    .withMode(new ServiceModeConfig().withReplicated(new ServiceReplicatedModeOptions().withReplicas(3)))).exec();

            await("3 running tasks of the service, one on each node").atMost(Duration.ofSeconds(60))
                    .until(() -> runningNodes(manager).size() == 3);
            String node3 = nodeId(manager, "node-3");

            swarm.kill(3);

            await("node-3's task started on another node after node-3 died").atMost(Duration.ofSeconds(90))
                    .until(() -> {
                        List<String> nodes = runningNodesList(manager);
                        return nodes.size() == 3 && !nodes.contains(node3);
                    });
            assertThat(swarm.readyNodes()).isEqualTo(2);
        }
        try (DockerEngine host = DockerEngine.connect()) {
            assertThat(host.client().listContainersCmd().withShowAll(true).exec())
                    .noneMatch(c -> List.of(c.getNames()).stream().anyMatch(n -> n.startsWith("/" + network)));
            assertThat(host.client().listNetworksCmd().exec()).noneMatch(n -> n.getName().startsWith(network));
        }
        try (var cgroups = Files.list(Path.of("/sys/fs/cgroup/cpu"))) {
            assertThat(cgroups.map(Path::getFileName).map(Path::toString)).noneMatch(n -> n.startsWith(network));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Set<String> runningNodes(DockerClient manager) {
        return Set.copyOf(runningNodesList(manager));
    }

    private static List<String> runningNodesList(DockerClient manager) {
        return manager.listTasksCmd().withServiceFilter("spread").exec().stream()
                // a dead node's task keeps its last known state; the manager wants it shut down
                .filter(t -> t.getDesiredState() == TaskState.RUNNING)
                .filter(t -> t.getStatus() != null && t.getStatus().getState() == TaskState.RUNNING)
                .map(Task::getNodeId).toList();
    }

    private static String nodeId(DockerClient manager, String hostname) {
        Map<String, String> byName = manager.listSwarmNodesCmd().exec().stream()
                .collect(Collectors.toMap(n -> n.getDescription().getHostname(), n -> n.getId()));
        return byName.get(hostname);
    }

    /** The stacks' Debian base, which every platform build makes first: a small image the nodes can run. */
    private static String baseImage() {
        try (DockerEngine host = DockerEngine.connect()) {
            return host.client().listImagesCmd().withImageNameFilter("slipway/base").exec().stream()
                    .flatMap(i -> i.getRepoTags() == null ? java.util.stream.Stream.empty() : java.util.stream.Stream.of(i.getRepoTags()))
                    .filter(t -> t.startsWith("slipway/base:")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no slipway/base image: SwarmNodes.start builds it first"));
        }
    }
}
