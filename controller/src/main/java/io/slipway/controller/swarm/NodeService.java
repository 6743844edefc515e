package io.slipway.controller.swarm;

import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.api.model.SwarmNode;
import com.github.dockerjava.api.model.SwarmNodeAvailability;
import io.slipway.api.NodeView;
import io.slipway.controller.docker.DockerEngine;
import io.slipway.controller.docker.Labels;
import io.slipway.controller.http.ApiException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The machines the platform runs on: in Swarm mode the manager's nodes, whose availability an
 * operator sets (drain moves their tasks elsewhere, which Swarm does); in docker mode the one local
 * engine.
 */
public final class NodeService {
    private static final Logger log = LoggerFactory.getLogger(NodeService.class);

    private final Scheduler scheduler;
    private final DockerEngine docker;
    private final String platform;

    public NodeService(Scheduler scheduler, DockerEngine docker, String platform) {
        this.scheduler = scheduler;
        this.docker = docker;
        this.platform = platform;
    }

    /**
     * At start, in Swarm mode: refuses (with what to run) an engine that is not a Swarm manager,
     * and logs the nodes it sees. In docker mode nothing is asked of the engine here.
     */
    public static void checkEngine(Scheduler scheduler, DockerEngine docker) {
        if (scheduler != Scheduler.SWARM) {
            return;
        }
        Info info;
        try {
            info = docker.client().infoCmd().exec();
        } catch (RuntimeException e) {
            throw new IllegalStateException("SLIPWAY_SCHEDULER=swarm: cannot reach the Docker engine at " + docker.host()
                    + " to check that it is a Swarm manager: " + e.getMessage()
                    + "; start it, or point DOCKER_HOST at a Swarm manager's engine", e);
        }
        ManagerCheck.refusal(info.getSwarm(), docker.host().toString()).ifPresent(why -> {
            throw new IllegalStateException(why);
        });
        List<NodeView> nodes = NodeViews.of(docker.client().listSwarmNodesCmd().exec(), List.of(), "");
        log.info("scheduler=swarm manager={} sees {} node(s): {}", docker.host(), nodes.size(), nodes.stream()
                .map(n -> n.hostname() + " (" + n.state() + ", " + n.availability() + ", "
                        + (n.leader() ? "leader" : n.role()) + ")")
                .collect(Collectors.joining(", ")));
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    public List<NodeView> list() {
        try {
            return switch (scheduler) {
                case SWARM -> NodeViews.of(docker.client().listSwarmNodesCmd().exec(), docker.client().listTasksCmd().exec(),
                        platform);
                case DOCKER -> List.of(localEngine());
            };
        } catch (ApiException e) {
            throw e;
        } catch (RuntimeException e) {
            throw unreachable(e);
        }
    }

    /** Sets a node's availability through the manager; Swarm moves a drained node's tasks to the others. */
    public NodeView setAvailability(String node, String availability, String by) {
        SwarmNodeAvailability wanted = availability(availability);
        if (scheduler != Scheduler.SWARM) {
            throw ApiException.conflict("setting a node's availability needs Swarm mode: this controller runs with "
                    + "SLIPWAY_SCHEDULER=docker on one Docker engine, which has no other node to move dynos to; "
                    + "start it with SLIPWAY_SCHEDULER=swarm on a Swarm manager");
        }
        SwarmNode found;
        try {
            found = NodeViews.find(docker.client().listSwarmNodesCmd().exec(), node);
            SwarmNodeAvailability was = found.getSpec().getAvailability();
            docker.client().updateSwarmNodeCmd().withSwarmNodeId(found.getId())
                    .withVersion(found.getVersion().getIndex())
                    .withSwarmNodeSpec(found.getSpec().withAvailability(wanted)).exec();
            log.info("node={} id={} availability={} (was {}) by={}", NodeViews.view(found, 0).hostname(), found.getId(),
                    word(wanted), word(was), by);
        } catch (ApiException e) {
            throw e;
        } catch (RuntimeException e) {
            throw unreachable(e);
        }
        return list().stream().filter(v -> v.id().equals(found.getId())).findFirst()
                .orElseThrow(() -> ApiException.notFound("node " + node + " left the Swarm meanwhile"));
    }

    /** Docker mode: the one engine, as a node that is always the whole cluster. */
    private NodeView localEngine() {
        Info info = docker.client().infoCmd().exec();
        List<Container> running = docker.client().listContainersCmd()
                .withLabelFilter(Map.of(Labels.PLATFORM, platform)).exec();
        int dynos = (int) running.stream()
                .filter(c -> c.getLabels() != null && NodeViews.DYNO_ROLES.contains(c.getLabels().get(Labels.ROLE)))
                .count();
        return new NodeView(info.getId(), info.getName(), "ready", "active", "local", false, info.getServerVersion(),
                info.getNCPU() == null ? 0 : info.getNCPU(), info.getMemTotal() == null ? 0 : info.getMemTotal(), dynos);
    }

    private static SwarmNodeAvailability availability(String raw) {
        String word = raw == null ? "" : raw.trim().toLowerCase(Locale.ROOT);
        return switch (word) {
            case "active" -> SwarmNodeAvailability.ACTIVE;
            case "pause" -> SwarmNodeAvailability.PAUSE;
            case "drain" -> SwarmNodeAvailability.DRAIN;
            default -> throw ApiException.invalid("availability must be active (takes tasks), pause (keeps its tasks, "
                    + "takes no new ones) or drain (its tasks move to other nodes), got '" + raw + "'");
        };
    }

    private static String word(SwarmNodeAvailability a) {
        return a == null ? "unknown" : a.name().toLowerCase(Locale.ROOT);
    }

    private ApiException unreachable(RuntimeException e) {
        log.warn("scheduler={} engine={} failed: {}", scheduler.setting(), docker.host(), e.getMessage());
        return new ApiException(503, "engine_unavailable", "the Docker engine at " + docker.host()
                + " did not answer about its nodes: " + e.getMessage() + "; check that it runs (and, in Swarm mode, "
                + "that it is still a manager with a quorum)");
    }
}
