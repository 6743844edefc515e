package io.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.controller.build.StackImages;
import io.slipway.controller.docker.DockerEngine;
import io.slipway.controller.docker.Labels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code nodes}, {@code nodes:drain} and {@code nodes:activate} on a platform in docker mode (one engine). */
class NodesCliTest extends AgainstPlatform {

    @Test
    void nodesListsTheOneLocalEngineInDockerMode() {
        String name;
        String version;
        try (DockerEngine engine = DockerEngine.connect()) {
            var info = engine.client().infoCmd().exec();
            name = info.getName();
            version = info.getServerVersion();
        }
        String out = slipway.ok("nodes").out();
        assertThat(out).startsWith("=== Nodes\nNODE");
        assertThat(out.lines().toList()).hasSize(3);
        assertThat(out.lines().toList().get(1)).containsSubsequence("ID", "STATE", "AVAILABILITY", "ROLE", "ENGINE", "CPUS",
                "MEMORY", "DYNOS");
        assertThat(out.lines().toList().get(2)).startsWith(name + " ").contains(" ready ", " active ", " local ",
                " " + version + " ", " GiB ").endsWith(" 0");

        JsonNode nodes = json(slipway.ok("nodes", "--json"));
        assertThat(nodes).hasSize(1);
        assertThat(nodes.get(0).get("hostname").asText()).isEqualTo(name);
        assertThat(nodes.get(0).get("cpus").asDouble()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(nodes.get(0).get("dynos").asInt()).isZero();
    }

    @Test
    void theLocalNodeCountsThePlatformsRunningDynosAndNothingElse() {
        try (DockerEngine engine = DockerEngine.connect()) {
            String runStack = new StackImages(engine, Path.of("..", "buildpacks", "stack").toAbsolutePath().normalize())
                    .ensure(line -> { }).run();
            // removed with everything else of the platform when the class's platform closes
            List<String> started = new ArrayList<>();
            for (String role : List.of(Labels.ROLE_DYNO, Labels.ROLE_RUN, Labels.ROLE_ADDON)) {
                String id = engine.client().createContainerCmd(runStack).withCmd("sleep", "600")
                        .withLabels(Map.of(Labels.PLATFORM, platform.platformId(), Labels.ROLE, role)).exec().getId();
                engine.client().startContainerCmd(id).exec();
                started.add(id);
            }
            String other = engine.client().createContainerCmd(runStack).withCmd("sleep", "600")
                    .withLabels(Map.of(Labels.PLATFORM, "another-platform", Labels.ROLE, Labels.ROLE_DYNO)).exec().getId();
            engine.client().startContainerCmd(other).exec();
            try {
                assertThat(json(slipway.ok("nodes", "--json")).get(0).get("dynos").asInt())
                        .as("a dyno and a one-off of this platform; not its add-on, not another platform's dyno")
                        .isEqualTo(2);
                assertThat(slipway.ok("nodes").out().lines().toList().get(2)).endsWith(" 2");
            } finally {
                engine.removeContainer(other);
                started.forEach(engine::removeContainer);
            }
        }
    }

    @Test
    void drainingANodeInDockerModeSaysItNeedsSwarmMode() {
        String name = json(slipway.ok("nodes", "--json")).get(0).get("hostname").asText();
        SlipwayCli.Result r = slipway.run("nodes:drain", name).failsWith(1, "needs Swarm mode");
        assertThat(r.err()).contains("SLIPWAY_SCHEDULER=swarm");
        assertThat(r.out()).isEqualTo("Draining node " + name + "... !\n");
        slipway.run("nodes:activate", name).failsWith(1, "needs Swarm mode");
        assertThat(json(slipway.ok("nodes", "--json")).get(0).get("availability").asText()).isEqualTo("active");
    }
}
