package io.slipway.controller.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.SwarmNode;
import com.github.dockerjava.api.model.Task;
import io.slipway.api.NodeView;
import io.slipway.controller.http.ApiException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the manager's nodes and tasks become what `slipway nodes` shows, from the JSON the engine sends. */
class NodeViewsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void onlyThisPlatformsRunningDynosCountOnTheNodeTheyRunOn() {
        List<SwarmNode> nodes = List.of(node("n1", "node-1", "manager", true), node("n2", "node-2", "worker", false));
        List<Task> tasks = List.of(
                task("n1", "p1", "dyno", "running", "running"),
                task("n1", "p1", "run", "running", "running"),
                task("n2", "p1", "dyno", "running", "running"),
                task("n2", "p1", "dyno", "shutdown", "running"), // a dead node's last task: the manager wants it gone
                task("n2", "p1", "dyno", "running", "starting"), // not running yet
                task("n2", "p1", "addon", "running", "running"),
                task("n2", "p2", "dyno", "running", "running")); // another platform's

        List<NodeView> views = NodeViews.of(nodes, tasks, "p1");

        assertThat(views).extracting(NodeView::hostname).containsExactly("node-1", "node-2");
        assertThat(views).extracting(NodeView::dynos).containsExactly(2, 1);
        assertThat(views.getFirst()).isEqualTo(new NodeView("n1", "node-1", "ready", "active", "manager", true,
                "20.10.24", 2.0, 4L << 30, 2));
        assertThat(views.get(1).leader()).isFalse();
    }

    @Test
    void aNodeIsFoundByIdOrByAHostNameOnlyOneNodeHas() {
        List<SwarmNode> nodes = List.of(node("n1", "node-1", "manager", true), node("n2", "node-2", "worker", false),
                node("n3", "node-2", "worker", false));
        assertThat(NodeViews.find(nodes, "node-1").getId()).isEqualTo("n1");
        assertThat(NodeViews.find(nodes, "n3").getId()).isEqualTo("n3");
        assertThatThrownBy(() -> NodeViews.find(nodes, "node-2")).isInstanceOf(ApiException.class)
                .hasMessageContaining("several nodes are named node-2").hasMessageContaining("n2, n3")
                .extracting(e -> ((ApiException) e).status()).isEqualTo(409);
        assertThatThrownBy(() -> NodeViews.find(nodes, "node-7")).isInstanceOf(ApiException.class)
                .hasMessageContaining("no node node-7").hasMessageContaining("node-1, node-2, node-2")
                .extracting(e -> ((ApiException) e).status()).isEqualTo(404);
    }

    private static SwarmNode node(String id, String host, String role, boolean leader) {
        return read("""
                {"ID": "%s", "Version": {"Index": 9},
                 "Spec": {"Role": "%s", "Availability": "active"},
                 "Description": {"Hostname": "%s", "Resources": {"NanoCPUs": 2000000000, "MemoryBytes": %d},
                                 "Engine": {"EngineVersion": "20.10.24"}},
                 "Status": {"State": "ready", "Addr": "10.0.0.2"}
                 %s}
                """.formatted(id, role, host, 4L << 30,
                leader ? ", \"ManagerStatus\": {\"Leader\": true, \"Reachability\": \"reachable\"}" : ""), SwarmNode.class);
    }

    private static Task task(String node, String platform, String role, String desired, String state) {
        return read("""
                {"ID": "t", "NodeID": "%s", "DesiredState": "%s", "Status": {"State": "%s"},
                 "Spec": {"ContainerSpec": {"Image": "x", "Labels": {"io.slipway.platform": "%s", "io.slipway.role": "%s"}}}}
                """.formatted(node, desired, state, platform, role), Task.class);
    }

    private static <T> T read(String json, Class<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
