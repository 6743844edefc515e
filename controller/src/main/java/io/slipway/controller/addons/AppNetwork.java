package io.slipway.controller.addons;

import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import io.slipway.controller.docker.DockerEngine;
import io.slipway.controller.docker.Labels;
import java.util.Map;

/**
 * An app's own Docker network, {@code slipway-<platform>-<app>}, which its dynos and the add-ons
 * attached to it join, so a dyno reaches an add-on by its container's name and nothing else does.
 * Issue 13's isolation work makes every dyno of an app join exactly this network; until it lands
 * here, {@link #ensure} creates the network when it is missing: that one method is the seam to swap.
 */
final class AppNetwork {
    private AppNetwork() {}

    static String name(String platform, String app) {
        return "slipway-" + platform + "-" + app;
    }

    /** The app's network, created as a user-defined bridge (labelled platform and app) if missing. */
    static String ensure(DockerEngine docker, String platform, String app) {
        String name = name(platform, app);
        try {
            docker.client().inspectNetworkCmd().withNetworkId(name).exec();
        } catch (NotFoundException missing) {
            try {
                docker.client().createNetworkCmd().withName(name).withDriver("bridge").withCheckDuplicate(true)
                        .withLabels(Map.of(Labels.PLATFORM, platform, Labels.APP, app)).exec();
            } catch (ConflictException createdMeanwhile) {
                // another add-on of the app made it first
            }
        }
        return name;
    }

    /**
     * The app is gone: add-ons of other apps leave its network, and the network is removed once
     * nothing else is connected (its dynos are stopped before this).
     */
    static void remove(DockerEngine docker, String platform, String app) {
        try {
            var network = docker.client().inspectNetworkCmd().withNetworkId(name(platform, app)).exec();
            var connected = network.getContainers() == null ? Map.<String, com.github.dockerjava.api.model.Network.ContainerNetworkConfig>of()
                    : network.getContainers();
            for (String container : connected.keySet()) {
                var labels = docker.client().inspectContainerCmd(container).exec().getConfig().getLabels();
                if (labels != null && Labels.ROLE_ADDON.equals(labels.get(Labels.ROLE))) {
                    docker.client().disconnectFromNetworkCmd().withContainerId(container).withNetworkId(network.getId())
                            .withForce(true).exec();
                }
            }
            docker.client().removeNetworkCmd(network.getId()).exec();
        } catch (NotFoundException | ConflictException gone) {
            // already removed, or a container still uses it (it goes with that container's app)
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(AppNetwork.class).warn("app={} network not removed: {}", app, e.getMessage());
        }
    }
}
