package io.slipway.controller.addons;

import io.slipway.controller.docker.DockerEngine;
import io.slipway.controller.docker.Labels;
import java.util.Map;

/** Test cleanup: the app networks a test platform made (TestPlatform's cleanup does containers, images and volumes). */
final class Networks {
    private Networks() {}

    static void removeEverythingOf(DockerEngine docker, String platform) {
        for (var n : docker.client().listNetworksCmd().withFilter("label", java.util.List.of(Labels.PLATFORM + "=" + platform)).exec()) {
            try {
                docker.client().removeNetworkCmd(n.getId()).exec();
            } catch (RuntimeException inUse) {
                // a container of another test still on it; its platform's cleanup comes later
            }
        }
    }
}
