package io.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.controller.docker.DockerEngine;
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
    void drainingANodeInDockerModeSaysItNeedsSwarmMode() {
        String name = json(slipway.ok("nodes", "--json")).get(0).get("hostname").asText();
        SlipwayCli.Result r = slipway.run("nodes:drain", name).failsWith(1, "needs Swarm mode");
        assertThat(r.err()).contains("SLIPWAY_SCHEDULER=swarm");
        assertThat(r.out()).isEqualTo("Draining node " + name + "... !\n");
        slipway.run("nodes:activate", name).failsWith(1, "needs Swarm mode");
        assertThat(json(slipway.ok("nodes", "--json")).get(0).get("availability").asText()).isEqualTo("active");
    }
}
