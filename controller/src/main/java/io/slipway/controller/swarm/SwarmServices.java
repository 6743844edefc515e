package io.slipway.controller.swarm;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.api.model.ContainerSpec;
import com.github.dockerjava.api.model.Driver;
import com.github.dockerjava.api.model.EndpointResolutionMode;
import com.github.dockerjava.api.model.EndpointSpec;
import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.NetworkAttachmentConfig;
import com.github.dockerjava.api.model.PortConfig;
import com.github.dockerjava.api.model.PortConfigProtocol;
import com.github.dockerjava.api.model.ResourceRequirements;
import com.github.dockerjava.api.model.ResourceSpecs;
import com.github.dockerjava.api.model.ServiceModeConfig;
import com.github.dockerjava.api.model.ServiceReplicatedModeOptions;
import com.github.dockerjava.api.model.ServiceRestartCondition;
import com.github.dockerjava.api.model.ServiceRestartPolicy;
import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.api.model.TaskSpec;
import com.github.dockerjava.api.model.TaskState;
import com.github.dockerjava.api.model.UpdateConfig;
import com.github.dockerjava.api.model.UpdateFailureAction;
import com.github.dockerjava.api.model.UpdateOrder;
import io.slipway.controller.docker.DockerEngine;
import io.slipway.controller.docker.Labels;
import io.slipway.controller.docker.LogRotation;
import io.slipway.controller.docker.Networks;
import io.slipway.controller.docker.OutputLines;
import io.slipway.controller.dyno.DockerDynoRuntime;
import io.slipway.controller.dyno.DynoPlanner;
import io.slipway.controller.dyno.DynoSize;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Dynos as Docker Swarm services, the doing half of the Swarm scheduler: it reads the platform's
 * services and their tasks from the Swarm manager, and creates, scales, restarts and removes
 * services. Tasks keep the hardening of the single engine's dynos as far as Swarm carries it (every
 * capability dropped, an init, memory and pids limits, a rotated log, the app's own network).
 */
public final class SwarmServices {
    private static final String RESTARTED_AT = "io.slipway.restarted-at";
    /**
     * How often a web task's health check connects to $PORT once it runs. Each check is a process
     * started in the task by its node's engine, which costs that node's CPU: at 500 ms, 30 dynos
     * on a 2-core machine spent most of it on checks (and took a minute to scale to).
     */
    static final Duration HEALTH_INTERVAL = Duration.ofSeconds(10);
    /** How often it checks while the task starts (Engine API 1.44+): it gates the task's "running", and so the routes. */
    static final Duration START_INTERVAL = Duration.ofMillis(250);
    /** Before API 1.44 there is one interval for both: a second, the cost of a check against the delay to "running". */
    static final Duration OLD_ENGINE_INTERVAL = Duration.ofSeconds(1);

    private final DockerEngine docker;
    private final String platform;
    private final LogRotation logs;
    private final Duration grace;
    private volatile String apiVersion;

    public SwarmServices(DockerEngine docker, String platform, LogRotation logs, Duration grace) {
        this.docker = docker;
        this.platform = platform;
        this.logs = logs;
        this.grace = grace;
    }

    /** Everything one service needs beyond its identity: the image in the registry and the release's settings. */
    public record Template(String app, String type, int release, int replicas, String image, String command,
                           Map<String, String> env, DynoSize size, AuthConfig registryAuth) {}

    /** The platform's dyno services, by app. */
    public Map<String, List<SwarmPlanner.Service>> services() {
        Map<String, List<SwarmPlanner.Service>> byApp = new LinkedHashMap<>();
        for (var s : docker.client().listServicesCmd()
                .withLabelFilter(Map.of(Labels.PLATFORM, platform, Labels.ROLE, Labels.ROLE_DYNO)).exec()) {
            Map<String, String> labels = s.getSpec().getLabels();
            String app = labels.get(Labels.APP);
            SwarmPlanner.Service service;
            try {
                var replicated = s.getSpec().getMode() == null ? null : s.getSpec().getMode().getReplicated();
                service = new SwarmPlanner.Service(s.getId(), s.getVersion().getIndex(), s.getSpec().getName(),
                        labels.get(Labels.TYPE), Integer.parseInt(labels.get(Labels.RELEASE)),
                        replicated == null ? 0 : (int) replicated.getReplicas(),
                        s.getCreatedAt() == null ? Instant.EPOCH : s.getCreatedAt().toInstant(),
                        labels.containsKey(RESTARTED_AT) ? Instant.parse(labels.get(RESTARTED_AT)) : null);
            } catch (RuntimeException foreign) {
                continue; // labelled as ours but not made by this code: leave it alone
            }
            if (app != null && service.type() != null) {
                byApp.computeIfAbsent(app, k -> new ArrayList<>()).add(service);
            }
        }
        return byApp;
    }

    /** The tasks of one app's services, with the names and addresses of the nodes they are on. */
    public List<SwarmPlanner.Task> tasks(String app, List<SwarmPlanner.Service> services) {
        if (services.isEmpty()) {
            return List.of();
        }
        Map<String, String> nodes = new HashMap<>();
        Map<String, String> addresses = new HashMap<>();
        for (var n : docker.client().listSwarmNodesCmd().exec()) {
            nodes.put(n.getId(), n.getDescription() == null ? n.getId() : n.getDescription().getHostname());
            if (n.getStatus() != null && n.getStatus().getAddress() != null) {
                addresses.put(n.getId(), n.getStatus().getAddress());
            }
        }
        Map<String, SwarmPlanner.Service> byId = new HashMap<>();
        services.forEach(s -> byId.put(s.id(), s));
        List<SwarmPlanner.Task> out = new ArrayList<>();
        for (var t : docker.client().listTasksCmd().withServiceFilter(byId.keySet().toArray(String[]::new)).exec()) {
            SwarmPlanner.Service s = byId.get(t.getServiceId());
            if (s == null || t.getSlot() == null || t.getStatus() == null) {
                continue;
            }
            var status = t.getStatus();
            Integer exit = status.getContainerStatus() == null ? null : status.getContainerStatus().getExitCode();
            out.add(new SwarmPlanner.Task(t.getId(), s.id(), t.getSlot(), t.getNodeId() == null ? null
                    : nodes.getOrDefault(t.getNodeId(), t.getNodeId()), phase(status.getState()),
                    t.getDesiredState() == TaskState.RUNNING, t.getNodeId() == null ? null : addresses.get(t.getNodeId()),
                    publishedPort(t.getRawValues()), instant(status.getTimestamp()), exit, status.getErr()));
        }
        return out;
    }

    /** Where a task in Swarm's state {@code state} stands. */
    public static SwarmPlanner.Phase phase(TaskState state) {
        return switch (state) {
            case RUNNING -> SwarmPlanner.Phase.RUNNING;
            case COMPLETE, SHUTDOWN, FAILED, REMOVE, ORPHANED -> SwarmPlanner.Phase.EXITED;
            case REJECTED -> SwarmPlanner.Phase.REJECTED;
            default -> SwarmPlanner.Phase.STARTING;
        };
    }

    /**
     * The port the task's node publishes for its web port, from the task's port status in the raw
     * answer (docker-java's task model has no field for it); null before the task's container has started.
     */
    private static Integer publishedPort(Map<String, Object> task) {
        if (task.get("Status") instanceof Map<?, ?> status && status.get("PortStatus") instanceof Map<?, ?> ports
                && ports.get("Ports") instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?> p && p.get("TargetPort") instanceof Number target
                        && target.intValue() == DynoPlanner.DYNO_PORT && p.get("PublishedPort") instanceof Number published
                        && published.intValue() > 0) {
                    return published.intValue();
                }
            }
        }
        return null;
    }

    /** The name of a service of one app's process type and release. */
    public String serviceName(String app, String type, int release) {
        return "slipway-" + platform + "-" + app + "-" + type + "-v" + release;
    }

    /** Creates a service; an existing one of the same name (a pass that overlapped) is left as it is. */
    public void create(Template t, String network) {
        try {
            var create = docker.client().createServiceCmd(spec(t, network, 0, null));
            if (t.registryAuth() != null) {
                create.withAuthConfig(t.registryAuth()); // kept with the service, so every node can pull
            }
            create.exec();
        } catch (ConflictException madeMeanwhile) {
            // the same service from an overlapping pass
        }
    }

    /** Sets a service's replicas ({@code t.replicas()}), its tasks left as they are. */
    public void scale(SwarmPlanner.Service s, Template t, String network) {
        var current = docker.client().inspectServiceCmd(s.id()).exec();
        Integer force = current.getSpec().getTaskTemplate().getForceUpdate();
        update(s, current.getVersion().getIndex(), spec(t, network, force == null ? 0 : force, s.restartedAt()));
    }

    /** A rolling restart: Swarm replaces each task, start-first (see {@link #spec}). */
    public void restart(SwarmPlanner.Service s, Template t, String network, Instant asked) {
        var current = docker.client().inspectServiceCmd(s.id()).exec();
        Integer force = current.getSpec().getTaskTemplate().getForceUpdate();
        update(s, current.getVersion().getIndex(), spec(t, network, force == null ? 1 : force + 1, asked));
    }

    /**
     * Updates write the whole spec again, made as at creation: one read back from the manager would
     * lose what docker-java's model lacks (the capabilities dropped, the pids limit), and any change
     * to the task template makes Swarm replace every task.
     */
    private void update(SwarmPlanner.Service s, long version, ServiceSpec spec) {
        docker.client().updateServiceCmd(s.id(), spec).withVersion(version).exec();
    }

    private ServiceSpec spec(Template t, String network, int forceUpdate, Instant restartedAt) {
        Map<String, String> labels = Map.of(Labels.PLATFORM, platform, Labels.APP, t.app(), Labels.ROLE,
                Labels.ROLE_DYNO, Labels.TYPE, t.type(), Labels.RELEASE, Integer.toString(t.release()));
        Map<String, String> serviceLabels = new HashMap<>(labels);
        if (restartedAt != null) {
            serviceLabels.put(RESTARTED_AT, restartedAt.toString());
        }
        List<String> env = new ArrayList<>();
        t.env().forEach((k, v) -> env.add(k + "=" + v));
        env.add("DYNO=" + t.type() + ".{{.Task.Slot}}"); // Swarm fills in each task's slot
        env.addAll(DockerDynoRuntime.commandEnv(t.command()));
        HardenedContainer container = new HardenedContainer();
        container.withImage(t.image())
                .withLabels(labels)
                .withEnv(env)
                .withDir("/app")
                .withCommand(List.of(DockerDynoRuntime.ENTRYPOINT))
                .withInit(true)
                .withStopGracePeriod(grace.toNanos());
        if (t.type().equals("web")) {
            // Swarm keeps a task "starting" until this passes, so "running" means it accepts connections.
            container.withHealthCheck(healthCheck(apiVersion()));
        }
        LimitedResources limits = new LimitedResources();
        limits.withMemoryBytes(t.size().memoryBytes());
        limits.pids = t.size().pidsLimit();
        TaskSpec task = new TaskSpec()
                .withContainerSpec(container)
                .withResources(new ResourceRequirements().withLimits(limits)
                        .withReservations(new ResourceSpecs().withMemoryBytes(t.size().memoryBytes())))
                .withRestartPolicy(new ServiceRestartPolicy().withCondition(ServiceRestartCondition.ANY)
                        .withDelay(Duration.ofSeconds(1).toNanos()))
                .withLogDriver(new Driver().withName("json-file").withOptions(logs.logConfig().getConfig()))
                .withNetworks(List.of(new NetworkAttachmentConfig().withTarget(network)))
                .withForceUpdate(forceUpdate);
        return new ServiceSpec()
                .withName(serviceName(t.app(), t.type(), t.release()))
                .withLabels(serviceLabels)
                .withTaskTemplate(task)
                .withMode(new ServiceModeConfig().withReplicated(new ServiceReplicatedModeOptions().withReplicas(t.replicas())))
                // A restart rolls one task at a time, the fresh one healthy before the old one stops.
                .withUpdateConfig(new UpdateConfig().withParallelism(1L).withOrder(UpdateOrder.START_FIRST)
                        .withFailureAction(UpdateFailureAction.CONTINUE))
                .withEndpointSpec(endpoint(t.type()));
    }

    /**
     * The web task's health check for an engine speaking {@code apiVersion}: a connection to $PORT
     * inside the task, often while it starts and seldom after where the engine can tell the two apart.
     */
    static HealthCheck healthCheck(String apiVersion) {
        HealthCheck check = new HealthCheck()
                .withTest(List.of("CMD", "/bin/bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/" + DynoPlanner.DYNO_PORT))
                .withTimeout(Duration.ofSeconds(2).toNanos())
                .withRetries(3);
        if (atLeast(apiVersion, 1, 44)) {
            // Checks every START_INTERVAL until the first passes (or the boot timeout ends the deploy), then every HEALTH_INTERVAL.
            return check.withInterval(HEALTH_INTERVAL.toNanos()).withStartInterval(START_INTERVAL.toNanos())
                    .withStartPeriod(Duration.ofMinutes(10).toNanos());
        }
        return check.withInterval(OLD_ENGINE_INTERVAL.toNanos());
    }

    static boolean atLeast(String version, int major, int minor) {
        try {
            String[] parts = version.split("\\.");
            int ma = Integer.parseInt(parts[0]);
            int mi = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            return ma > major || (ma == major && mi >= minor);
        } catch (RuntimeException unreadable) {
            return false;
        }
    }

    /** The manager's Engine API version, read once. */
    private String apiVersion() {
        String v = apiVersion;
        if (v == null) {
            v = docker.client().versionCmd().exec().getApiVersion();
            apiVersion = v;
        }
        return v;
    }

    /**
     * A web service publishes its port in host mode on a port each node picks: a router reaches the
     * task at (its node's address, that port), whichever node the router runs on. Not the routing
     * mesh: routers balance over the dynos themselves and see each one's state, and a virtual IP
     * would hide which task answered. Other process types publish nothing.
     */
    private static EndpointSpec endpoint(String type) {
        EndpointSpec spec = new EndpointSpec().withMode(EndpointResolutionMode.DNSRR);
        return type.equals("web")
                ? spec.withPorts(List.of(new PortConfig().withTargetPort(DynoPlanner.DYNO_PORT)
                        .withProtocol(PortConfigProtocol.TCP).withPublishMode(PortConfig.PublishMode.host)))
                : spec;
    }

    /** Removes a service: Swarm stops its tasks (SIGTERM, then SIGKILL after the grace period). */
    public void remove(SwarmPlanner.Service s) {
        try {
            docker.client().removeServiceCmd(s.id()).exec();
        } catch (NotFoundException gone) {
            // removed meanwhile
        }
    }

    /** Every dyno service of one app, whatever its release (apps:destroy). */
    public List<SwarmPlanner.Service> ofApp(String app) {
        return services().getOrDefault(app, List.of());
    }

    /** The last {@code n} lines a task wrote, oldest first; empty when its task is gone. */
    public List<String> lastLines(String taskId, int n) {
        try {
            return OutputLines.last(n, callback -> docker.client().logTaskCmd(taskId).withStdout(true).withStderr(true)
                    .withTail(n).exec(callback));
        } catch (RuntimeException e) {
            return List.of("(its output could not be read: " + e.getMessage() + ")");
        }
    }

    private static Instant instant(String s) {
        try {
            return s == null ? null : Instant.parse(s);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** A container spec with what docker-java's model lacks: dropping every capability (Engine API 1.41). */
    static final class HardenedContainer extends ContainerSpec {
        @JsonProperty("CapabilityDrop")
        public final List<String> capabilityDrop = List.of("ALL");
    }

    /** Resource limits with what docker-java's model lacks: the pids limit (Engine API 1.41). */
    static final class LimitedResources extends ResourceSpecs {
        @JsonProperty("Pids")
        public Long pids;
    }
}
