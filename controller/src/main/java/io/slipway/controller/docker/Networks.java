package io.slipway.controller.docker;

import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform's Docker networks, which keep apps apart. Each app has a user-defined bridge of its
 * own, {@code slipway-<platform>-<app>}, that every container of the app joins and nothing else:
 * Docker drops traffic between bridges, so an app's dynos reach each other and no other app's.
 * Builds share {@code slipway-<platform>-builds}, with traffic between its containers off, so a
 * build reaches the internet and neither another build nor any dyno. Every bridge interface of
 * this platform starts with {@link #bridgePrefix()}, which the {@link HostFirewall} matches to keep
 * them all from the host's own listeners. A network is created the first time it is needed and
 * adopted as it is afterwards (after a controller restart too), so running dynos keep theirs.
 */
public final class Networks {
    private static final Logger log = LoggerFactory.getLogger(Networks.class);
    /** Linux limits interface names to 15 characters: "sw", 5 of the platform's, 8 of the app's. */
    private static final int PLATFORM_CHARS = 5;
    private static final int APP_CHARS = 8;

    private final DockerEngine docker;
    private final String platform;
    private final boolean swarm;

    public Networks(DockerEngine docker, String platform) {
        this(docker, platform, false);
    }

    /**
     * @param swarm whether the engine is a Swarm manager whose dynos run as services: an app's network
     *              is then an attachable overlay that spans the nodes (one-off and add-on containers join it too)
     */
    public Networks(DockerEngine docker, String platform, boolean swarm) {
        this.docker = docker;
        this.platform = platform;
        this.swarm = swarm;
    }

    /** What every bridge interface of this platform's networks starts with ({@code sw1a2b3}). */
    public String bridgePrefix() {
        return bridgePrefix(platform);
    }

    /** {@link #bridgePrefix()} of a given platform (a test cleaning up after one). */
    public static String bridgePrefix(String platform) {
        return "sw" + platform.substring(0, Math.min(PLATFORM_CHARS, platform.length()));
    }

    /**
     * The name of an app's network. It is stable, so that a later feature (an add-on's container)
     * can join an app's network by name.
     */
    public static String appNetwork(String platform, String app) {
        return "slipway-" + platform + "-" + app;
    }

    /** The bridge interface of an app's network: the app's name hashed, as names run to 63 characters. */
    static String appBridge(String platform, String app) {
        return bridgePrefix(platform) + sha256(app).substring(0, APP_CHARS);
    }

    /** The app's network, created now if it does not exist yet; its name, to run containers in. */
    public String forApp(String app) {
        return ensure(appNetwork(platform, app), appBridge(platform, app), true,
                Map.of(Labels.PLATFORM, platform, Labels.APP, app, Labels.ROLE, Labels.ROLE_APP_NETWORK));
    }

    /** The builds' network, created now if it does not exist yet. */
    public String forBuilds() {
        // "-build" holds letters no app bridge (hex) has, so it cannot be the bridge of an app.
        return ensure("slipway-" + platform + "-builds", bridgePrefix() + "-build", false,
                Map.of(Labels.PLATFORM, platform, Labels.ROLE, Labels.ROLE_BUILD_NETWORK));
    }

    /**
     * Removes an app's network (apps:destroy, after its containers are gone); nothing when it has
     * none. Add-ons of other apps attached to this one leave it first.
     */
    public void removeApp(String app) {
        String name = appNetwork(platform, app);
        try {
            var network = docker.client().inspectNetworkCmd().withNetworkId(name).exec();
            if (network.getContainers() != null) {
                for (String container : network.getContainers().keySet()) {
                    var labels = docker.client().inspectContainerCmd(container).exec().getConfig().getLabels();
                    if (labels != null && Labels.ROLE_ADDON.equals(labels.get(Labels.ROLE))) {
                        docker.client().disconnectFromNetworkCmd().withContainerId(container).withNetworkId(name)
                                .withForce(true).exec();
                    }
                }
            }
            docker.client().removeNetworkCmd(name).exec();
            log.info("app={} network {} removed", app, name);
        } catch (NotFoundException never) {
            // the app never ran a container
        } catch (DockerException e) {
            log.warn("app={} network {} could not be removed: {}", app, name, e.getMessage());
        }
    }

    /**
     * One at a time, so that two dynos starting together do not make two networks: Docker lets
     * several share a name, and a container would then join either.
     */
    private synchronized String ensure(String name, String bridge, boolean containersTalk, Map<String, String> labels) {
        try {
            docker.client().inspectNetworkCmd().withNetworkId(name).exec();
            return name;
        } catch (NotFoundException missing) {
            // first container of its kind on this engine
        }
        try {
            // An app's network spans the nodes in Swarm mode; builds stay on the manager's own engine, on a bridge.
            if (swarm && containersTalk) {
                docker.client().createNetworkCmd()
                        .withName(name)
                        .withDriver("overlay")
                        .withAttachable(true)
                        .withCheckDuplicate(true)
                        .withLabels(labels)
                        .exec();
                log.info("network {} created (overlay)", name);
                return name;
            }
            docker.client().createNetworkCmd()
                    .withName(name)
                    .withDriver("bridge")
                    .withCheckDuplicate(true)
                    .withLabels(labels)
                    .withOptions(Map.of("com.docker.network.bridge.name", bridge,
                            "com.docker.network.bridge.enable_icc", Boolean.toString(containersTalk)))
                    .exec();
            log.info("network {} created (bridge {})", name, bridge);
        } catch (ConflictException madeMeanwhile) {
            // another controller on this engine (a restart overlapping) made it: use that one
        }
        return name;
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
