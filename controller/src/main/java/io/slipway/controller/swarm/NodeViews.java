package io.slipway.controller.swarm;

import com.github.dockerjava.api.model.SwarmNode;
import com.github.dockerjava.api.model.Task;
import com.github.dockerjava.api.model.TaskState;
import io.slipway.api.NodeView;
import io.slipway.controller.docker.Labels;
import io.slipway.controller.http.ApiException;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/** What the manager says of its nodes and tasks, as the API shows it: pure, so it is tested without a Swarm. */
final class NodeViews {
    /** The roles of containers that run an app's code: formation dynos, one-off dynos and release phases. */
    static final Set<String> DYNO_ROLES = Set.of(Labels.ROLE_DYNO, Labels.ROLE_RUN, Labels.ROLE_RELEASE);

    private NodeViews() {}

    /** Every node, by host name, each with the count of this platform's running dynos on it. */
    static List<NodeView> of(List<SwarmNode> nodes, List<Task> tasks, String platform) {
        Map<String, Long> dynos = tasks.stream()
                .filter(t -> isRunningDyno(t, platform))
                .collect(Collectors.groupingBy(Task::getNodeId, Collectors.counting()));
        return nodes.stream()
                .map(n -> view(n, dynos.getOrDefault(n.getId(), 0L).intValue()))
                .sorted(Comparator.comparing(NodeView::hostname).thenComparing(NodeView::id))
                .toList();
    }

    /**
     * A task that runs now (and that the manager wants running: a dead node's last task keeps its
     * last known state) from a container labelled as one of this platform's dynos.
     */
    static boolean isRunningDyno(Task task, String platform) {
        if (task.getNodeId() == null || task.getDesiredState() != TaskState.RUNNING
                || task.getStatus() == null || task.getStatus().getState() != TaskState.RUNNING) {
            return false;
        }
        Map<String, String> labels = Optional.ofNullable(task.getSpec())
                .map(s -> s.getContainerSpec()).map(c -> c.getLabels()).orElse(Map.of());
        return platform.equals(labels.get(Labels.PLATFORM)) && DYNO_ROLES.contains(labels.get(Labels.ROLE));
    }

    static NodeView view(SwarmNode node, int dynos) {
        var spec = node.getSpec();
        var description = node.getDescription();
        var resources = description == null ? null : description.getResources();
        return new NodeView(node.getId(),
                description == null ? node.getId() : description.getHostname(),
                word(node.getStatus() == null ? null : node.getStatus().getState(), "unknown"),
                word(spec == null ? null : spec.getAvailability(), "unknown"),
                word(spec == null ? null : spec.getRole(), "unknown"),
                node.getManagerStatus() != null && node.getManagerStatus().isLeader(),
                description == null || description.getEngine() == null ? "" : description.getEngine().getEngineVersion(),
                resources == null || resources.getNanoCPUs() == null ? 0 : resources.getNanoCPUs() / 1e9,
                resources == null || resources.getMemoryBytes() == null ? 0 : resources.getMemoryBytes(),
                dynos);
    }

    /** The node matching {@code wanted}: its id, or its host name when exactly one node has it. */
    static SwarmNode find(List<SwarmNode> nodes, String wanted) {
        Optional<SwarmNode> byId = nodes.stream().filter(n -> n.getId().equals(wanted)).findFirst();
        if (byId.isPresent()) {
            return byId.get();
        }
        Function<SwarmNode, String> host = n -> n.getDescription() == null ? "" : n.getDescription().getHostname();
        List<SwarmNode> named = nodes.stream().filter(n -> wanted.equals(host.apply(n))).toList();
        if (named.size() == 1) {
            return named.getFirst();
        }
        if (named.size() > 1) {
            throw ApiException.conflict("several nodes are named " + wanted + " (a machine that left and joined again): "
                    + "name it by id, one of " + named.stream().map(SwarmNode::getId).collect(Collectors.joining(", ")));
        }
        throw ApiException.notFound("no node " + wanted + " in this Swarm; its nodes are "
                + nodes.stream().map(host).sorted().collect(Collectors.joining(", ")) + " (`slipway nodes` lists them)");
    }

    private static String word(Object value, String fallback) {
        return value == null ? fallback : value.toString().toLowerCase(Locale.ROOT);
    }
}
