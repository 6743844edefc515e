package io.slipway.controller.dyno;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import io.slipway.controller.docker.DockerEngine;
import io.slipway.controller.docker.Labels;
import io.slipway.controller.docker.LogRotation;
import io.slipway.controller.docker.Networks;
import io.slipway.controller.docker.OutputLines;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Dynos as hardened Docker containers: the app image's non-root user, every capability dropped,
 * no-new-privileges, memory, pids and CPU-share limits, an init that forwards SIGTERM to the whole
 * process group, no Docker socket, the app's own network ({@link Networks}) and nothing else, a
 * web port published on 127.0.0.1 only, and a log file the engine rotates.
 */
public final class DockerDynoRuntime implements DynoRuntime {
    private final DockerEngine docker;
    private final String platform;
    private final Networks networks;
    private final LogRotation logs;

    public DockerDynoRuntime(DockerEngine docker, String platform, Networks networks, LogRotation logs) {
        this.docker = docker;
        this.platform = platform;
        this.networks = networks;
        this.logs = logs;
    }

    @Override
    public Container start(Spec spec) {
        docker.removeContainer(spec.name()); // a same-named leftover would block the create
        List<String> env = new ArrayList<>();
        spec.env().forEach((k, v) -> env.add(k + "=" + v));
        env.addAll(commandEnv(spec.command()));
        HostConfig host = hardened(spec.memoryBytes(), spec.pidsLimit(), logs)
                .withNetworkMode(networks.forApp(spec.labels().get(Labels.APP)));
        var create = docker.client().createContainerCmd(spec.image())
                .withName(spec.name())
                .withLabels(spec.labels())
                .withEnv(env)
                .withWorkingDir("/app")
                .withEntrypoint(ENTRYPOINT);
        if (spec.web()) {
            ExposedPort port = ExposedPort.tcp(spec.port());
            create.withExposedPorts(port);
            host.withPortBindings(new PortBinding(Ports.Binding.bindIp("127.0.0.1"), port));
        }
        String id = create.withHostConfig(host).exec().getId();
        docker.client().startContainerCmd(id).exec();
        return toContainer(docker.client().inspectContainerCmd(id).exec());
    }

    /** .profile.d first, as on Heroku; then the command, through bash (so pipes, && and $VARS work). */
    public static final String[] ENTRYPOINT = {"/bin/bash", "-c",
            "for f in /app/.profile.d/*.sh; do [ -r \"$f\" ] && . \"$f\"; done; exec bash -c \"$SLIPWAY_COMMAND\""};

    /** The environment entries that carry the command to {@link #ENTRYPOINT} and make SIGTERM reach it all. */
    public static List<String> commandEnv(String command) {
        return List.of("TINI_KILL_PROCESS_GROUP=1", "SLIPWAY_COMMAND=" + command);
    }

    /**
     * What every dyno, long-running or one-off, runs under: an init that forwards signals to the
     * process group, no capabilities, no privilege escalation, memory and pids limits, a CPU share
     * in proportion to its memory ({@link DynoSize#cpuSharesFor}), a rotated log. The caller adds
     * the app's network.
     */
    public static HostConfig hardened(long memoryBytes, long pidsLimit, LogRotation logs) {
        return HostConfig.newHostConfig()
                .withInit(true)
                .withCapDrop(Capability.ALL)
                .withSecurityOpts(List.of("no-new-privileges"))
                .withMemory(memoryBytes)
                .withMemorySwap(memoryBytes)
                .withCpuShares(DynoSize.cpuSharesFor(memoryBytes))
                .withPidsLimit(pidsLimit)
                .withLogConfig(logs.logConfig());
    }

    @Override
    public List<Container> list() {
        List<Container> out = new ArrayList<>();
        for (var c : docker.client().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(Labels.PLATFORM, platform, Labels.ROLE, Labels.ROLE_DYNO)).exec()) {
            try {
                out.add(toContainer(docker.client().inspectContainerCmd(c.getId()).exec()));
            } catch (NotFoundException gone) {
                // removed between list and inspect
            }
        }
        return out;
    }

    @Override
    public void restart(String id) {
        try {
            docker.client().startContainerCmd(id).exec();
        } catch (NotModifiedException alreadyRunning) {
            // started by someone else meanwhile: fine
        }
    }

    @Override
    public void stopAndRemove(String id, Duration grace) {
        try {
            docker.client().stopContainerCmd(id).withTimeout((int) grace.toSeconds()).exec();
        } catch (NotFoundException | NotModifiedException ignored) {
            // already stopped or gone
        }
        docker.removeContainer(id);
    }

    @Override
    public List<String> lastLines(String id, int n) {
        return lastLines(docker, id, n);
    }

    /** The last {@code n} lines of any container's output, oldest first; empty when it is gone. */
    public static List<String> lastLines(DockerEngine docker, String id, int n) {
        return OutputLines.last(n, callback -> docker.client().logContainerCmd(id).withStdOut(true).withStdErr(true)
                .withTail(n).exec(callback));
    }

    @Override
    public boolean accepts(int hostPort) {
        // Docker's userland proxy accepts on the published port even when nothing listens inside,
        // then closes at once: so a connection that stays open (or answers) means the app is bound.
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), hostPort), 500);
            s.setSoTimeout(150);
            InputStream in = s.getInputStream();
            try {
                return in.read() != -1;
            } catch (SocketTimeoutException stillOpen) {
                return true;
            }
        } catch (IOException e) {
            return false;
        }
    }

    private static Container toContainer(InspectContainerResponse c) {
        Integer hostPort = null;
        var ports = c.getNetworkSettings() == null ? null : c.getNetworkSettings().getPorts();
        if (ports != null && ports.getBindings() != null) {
            for (var e : ports.getBindings().entrySet()) {
                if (e.getValue() != null && e.getValue().length > 0 && e.getValue()[0].getHostPortSpec() != null) {
                    hostPort = Integer.parseInt(e.getValue()[0].getHostPortSpec());
                }
            }
        }
        var state = c.getState();
        boolean running = Boolean.TRUE.equals(state.getRunning());
        Long exit = state.getExitCodeLong();
        return new Container(c.getId(), c.getName().replaceFirst("^/", ""), c.getConfig().getLabels(), running,
                running || exit == null ? null : exit.intValue(), hostPort, instant(state.getStartedAt()),
                instant(state.getFinishedAt()));
    }

    private static Instant instant(String s) {
        if (s == null || s.startsWith("0001-")) {
            return null;
        }
        try {
            return Instant.parse(s);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
