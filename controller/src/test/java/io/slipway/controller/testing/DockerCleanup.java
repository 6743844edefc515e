package io.slipway.controller.testing;

import com.github.dockerjava.api.exception.NotFoundException;
import io.slipway.controller.docker.DockerEngine;
import io.slipway.controller.docker.Labels;
import java.util.Map;

/** Tests leave nothing behind: every container, image and volume labelled with a test platform's id goes. */
final class DockerCleanup {
    private DockerCleanup() {}

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
