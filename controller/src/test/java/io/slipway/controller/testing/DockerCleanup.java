package io.slipway.controller.testing;

import com.github.dockerjava.api.exception.NotFoundException;
import io.slipway.controller.docker.DockerEngine;
import io.slipway.controller.docker.HostFirewall;
import io.slipway.controller.docker.Labels;
import io.slipway.controller.docker.Networks;
import java.util.Map;

/**
 * Tests leave nothing behind: every container, image, volume and network labelled with a test
 * platform's id goes, and its host firewall chain.
 */
public final class DockerCleanup {
    private DockerCleanup() {}

    /**
     * After {@code ./slipway down} of a platform a test started with {@code up} on an engine it did
     * not start (so down leaves the engine's things and the host firewall chain, which guard
     * dynos that may still run): the platform's id comes from the chain noted in {@code run/firewall}.
     */
    public static void removeEverythingOfScriptPlatform(java.nio.file.Path home) {
        java.nio.file.Path noted = home.resolve("run/firewall");
        try {
            if (java.nio.file.Files.isReadable(noted)) {
                String chain = java.nio.file.Files.readString(noted).strip().split(" ")[0];
                removeEverythingOf(chain.substring("SLIPWAY-".length()));
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static void removeEverythingOf(String platform) {
        try (DockerEngine docker = DockerEngine.connect()) {
            var label = Map.of(Labels.PLATFORM, platform);
            try {
                docker.client().pingCmd().exec();
            } catch (RuntimeException noEngine) {
                return; // tests that never touched Docker ran without an engine
            }
            docker.client().listContainersCmd().withShowAll(true).withLabelFilter(label).exec()
                    .forEach(c -> docker.removeContainer(c.getId()));
            docker.client().listImagesCmd().withLabelFilter(label).exec().forEach(i -> {
                try {
                    docker.client().removeImageCmd(i.getId()).withForce(true).exec();
                } catch (NotFoundException ignored) {
                    // already gone
                }
            });
            var volumes = docker.client().listVolumesCmd()
                    .withFilter("label", java.util.List.of(Labels.PLATFORM + "=" + platform)).exec().getVolumes();
            for (var network : docker.client().listNetworksCmd()
                    .withFilter("label", java.util.List.of(Labels.PLATFORM + "=" + platform)).exec()) {
                try {
                    docker.client().removeNetworkCmd(network.getId()).exec();
                } catch (RuntimeException ignored) {
                    // already gone
                }
            }
            new HostFirewall(platform, Networks.bridgePrefix(platform)).remove();
            if (volumes != null) {
                volumes.forEach(v -> {
                    try {
                        docker.client().removeVolumeCmd(v.getName()).exec();
                    } catch (RuntimeException ignored) {
                        // in use by a container being removed; gone with it
                    }
                });
            }
        }
    }
}
