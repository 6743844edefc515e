package io.slipway.controller.addons;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.api.model.RestartPolicy;
import io.slipway.controller.docker.DockerEngine;
import io.slipway.controller.docker.Labels;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Add-on servers as Docker containers: one per add-on, named {@code slipway-<platform>-<add-on>},
 * its data in a named volume of the same name plus {@code -data}, labelled so a restarted
 * controller adopts it. Hardened as dynos are (the image's non-root user, every capability
 * dropped, no-new-privileges, memory and pids limits), with no published port at all: apps reach it
 * over their own network, people through {@code docker exec}. The engine restarts it after a crash
 * or its own restart (unless-stopped).
 */
final class AddonContainers {
    private static final long PIDS_LIMIT = 256;

    /** What Docker says about an add-on's container now. */
    record Observed(String id, boolean running, String status, Long exitCode) {}

    /** A command's outcome inside an add-on. */
    record ExecResult(int exitCode, String stdout, String stderr) {}

    private final DockerEngine docker;
    private final String platform;

    AddonContainers(DockerEngine docker, String platform) {
        this.docker = docker;
        this.platform = platform;
    }

    DockerEngine docker() {
        return docker;
    }

    String platform() {
        return platform;
    }

    String containerName(Addon addon) {
        return "slipway-" + platform + "-" + addon.name();
    }

    String volumeName(Addon addon) {
        return containerName(addon) + "-data";
    }

    private Map<String, String> labels(Addon addon, String app) {
        return Map.of(Labels.PLATFORM, platform, Labels.APP, app, Labels.ROLE, Labels.ROLE_ADDON, Labels.ADDON, addon.name());
    }

    /** Creates the volume (if new) and the container on the owner's network, and starts it; returns the container id. */
    String create(Addon addon, String app, String image, String network) {
        Service service = addon.kind();
        try {
            docker.client().createVolumeCmd().withName(volumeName(addon)).withLabels(labels(addon, app)).exec();
        } catch (ConflictException exists) {
            // kept from before: the data is in it
        }
        List<String> env = new ArrayList<>();
        service.env(addon).forEach((k, v) -> env.add(k + "=" + v));
        HostConfig host = HostConfig.newHostConfig()
                .withCapDrop(Capability.ALL)
                .withSecurityOpts(List.of("no-new-privileges"))
                .withMemory(service.memoryBytes())
                .withMemorySwap(service.memoryBytes())
                .withPidsLimit(PIDS_LIMIT)
                .withRestartPolicy(RestartPolicy.unlessStoppedRestart())
                .withNetworkMode(network)
                .withMounts(List.of(new Mount().withType(MountType.VOLUME).withSource(volumeName(addon))
                        .withTarget(service.dataDir())));
        String id = docker.client().createContainerCmd(image)
                .withName(containerName(addon))
                .withHostName(addon.name())
                .withLabels(labels(addon, app))
                .withEnv(env)
                .withHostConfig(host)
                .exec().getId();
        docker.client().startContainerCmd(id).exec();
        return id;
    }

    Optional<Observed> find(Addon addon) {
        try {
            InspectContainerResponse c = docker.client().inspectContainerCmd(containerName(addon)).exec();
            var state = c.getState();
            return Optional.of(new Observed(c.getId(), Boolean.TRUE.equals(state.getRunning()),
                    Boolean.TRUE.equals(state.getRestarting()) ? "restarting" : state.getStatus(), state.getExitCodeLong()));
        } catch (NotFoundException gone) {
            return Optional.empty();
        }
    }

    void start(String id) {
        try {
            docker.client().startContainerCmd(id).exec();
        } catch (NotModifiedException alreadyRunning) {
            // started by the engine's restart policy meanwhile
        }
    }

    /** Joins another app's network, so its dynos reach the add-on by name; false when it was there already. */
    boolean connect(Addon addon, String network) {
        if (connectedTo(addon, network)) {
            return false;
        }
        try {
            docker.client().connectToNetworkCmd().withContainerId(containerName(addon)).withNetworkId(network).exec();
        } catch (com.github.dockerjava.api.exception.DockerException e) {
            // "endpoint … already exists in network": connected meanwhile
            if (!connectedTo(addon, network)) {
                throw e;
            }
            return false;
        }
        return true;
    }

    void disconnect(Addon addon, String network) {
        try {
            docker.client().disconnectFromNetworkCmd().withContainerId(containerName(addon)).withNetworkId(network)
                    .withForce(true).exec();
        } catch (NotFoundException | ConflictException | com.github.dockerjava.api.exception.InternalServerErrorException gone) {
            // not connected (any more), or the network is gone
        }
    }

    boolean connectedTo(Addon addon, String network) {
        try {
            var networks = docker.client().inspectContainerCmd(containerName(addon)).exec().getNetworkSettings().getNetworks();
            return networks != null && networks.containsKey(network);
        } catch (NotFoundException gone) {
            return false;
        }
    }

    /** Removes the container and then its volume: the add-on's data is gone. */
    void remove(Addon addon) {
        docker.removeContainer(containerName(addon));
        try {
            docker.client().removeVolumeCmd(volumeName(addon)).exec();
        } catch (NotFoundException gone) {
            // never created, or removed already
        }
    }

    /** Runs a command in the add-on's container as its server's user and collects its output, within {@code timeout}. */
    ExecResult exec(Addon addon, List<String> command, Duration timeout) {
        String exec = docker.client().execCreateCmd(containerName(addon)).withAttachStdout(true).withAttachStderr(true)
                .withCmd(command.toArray(String[]::new)).exec().getId();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (var callback = docker.client().execStartCmd(exec).exec(new ResultCallback.Adapter<Frame>() {
            @Override
            public void onNext(Frame frame) {
                synchronized (out) {
                    (frame.getStreamType() == com.github.dockerjava.api.model.StreamType.STDERR ? err : out)
                            .writeBytes(frame.getPayload());
                }
            }
        })) {
            if (!callback.awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return new ExecResult(-1, "", "timed out after " + timeout.toSeconds() + " s");
            }
        } catch (IOException e) {
            // closing a finished exec stream: what was read is all there is
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ExecResult(-1, "", "interrupted");
        }
        Long exit = docker.client().inspectExecCmd(exec).exec().getExitCodeLong();
        synchronized (out) {
            return new ExecResult(exit == null ? -1 : exit.intValue(), out.toString(java.nio.charset.StandardCharsets.UTF_8),
                    err.toString(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    /** The size of the add-on's data on disk, in bytes, or null when it cannot be read now (not running). */
    Long sizeOnDisk(Addon addon) {
        try {
            ExecResult du = exec(addon, List.of("du", "-sb", addon.kind().dataDir()), Duration.ofSeconds(5));
            return du.exitCode() == 0 ? Long.parseLong(du.stdout().strip().split("\\s+")[0]) : null;
        } catch (RuntimeException notRunning) {
            return null;
        }
    }

    /** The add-on containers of this platform, as Docker lists them (adoption after a restart). */
    List<String> namesOnEngine() {
        List<String> names = new ArrayList<>();
        for (var c : docker.client().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(Labels.PLATFORM, platform, Labels.ROLE, Labels.ROLE_ADDON)).exec()) {
            names.add(c.getLabels().get(Labels.ADDON));
        }
        return names;
    }
}
