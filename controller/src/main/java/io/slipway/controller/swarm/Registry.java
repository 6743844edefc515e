package io.slipway.controller.swarm;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.PushResponseItem;
import com.github.dockerjava.api.model.RestartPolicy;
import io.slipway.controller.build.BuildOutput;
import io.slipway.controller.build.LocalImages;
import io.slipway.controller.docker.DockerEngine;
import io.slipway.controller.docker.Labels;
import io.slipway.keys.RegistryPassword;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform's image registry in Swarm mode: Debian's {@code docker-registry} in a container on
 * the Swarm manager's engine (built locally like the add-on images), its data in a named volume,
 * its port published on the manager's address so that every node can pull. Builds happen on the
 * manager's engine; before a release's services are made, its image is pushed here, and the
 * services carry the credentials so that the nodes pull with them.
 *
 * <p>How it is secured: the registry answers only to the user {@code slipway} with a 256-bit
 * password the platform generates ({@code $SLIPWAY_HOME/registry-password}, mode 0600), kept in
 * the registry as a bcrypt hash. It speaks plain HTTP, so each node's engine must list it in
 * {@code insecure-registries}, and the password crosses the nodes' network in the clear: that
 * network must be private to the nodes (as Swarm's own control traffic should be).
 */
public final class Registry {
    private static final Logger log = LoggerFactory.getLogger(Registry.class);
    public static final String USER = "slipway";

    private final DockerEngine docker;
    private final String platform;
    private final LocalImages image;
    private final String password;
    private final int port;
    private final AtomicReference<String> address = new AtomicReference<>();

    public Registry(DockerEngine docker, String platform, Path buildpacksDir, Path home, int port) {
        this.docker = docker;
        this.platform = platform;
        this.port = port;
        this.password = RegistryPassword.readOrCreate(home);
        this.image = new LocalImages(docker, buildpacksDir.resolve("stack").resolve("base"), "slipway/",
                "the registry image", "buildpacks/services/registry/", Labels.ROLE_SERVICE,
                List.of(new LocalImages.Image("registry", buildpacksDir.resolve("services").resolve("registry"),
                        "service-registry")));
    }

    /** {@code host:port} as the nodes reach it: the manager's address in the Swarm, and the registry's port. */
    public String address() {
        String known = address.get();
        if (known == null) {
            var swarm = docker.client().infoCmd().exec().getSwarm();
            String nodeAddr = swarm == null ? null : swarm.getNodeAddr();
            if (nodeAddr == null || nodeAddr.isBlank()) {
                throw new IllegalStateException("the Docker engine does not say its address in the Swarm: "
                        + "is it a Swarm manager? (docker swarm init)");
            }
            known = nodeAddr + ":" + port;
            address.set(known);
        }
        return known;
    }

    /** The credentials a push and a service carry. */
    public AuthConfig auth() {
        return new AuthConfig().withUsername(USER).withPassword(password).withRegistryAddress(address());
    }

    /**
     * The registry container, made if missing and started if stopped (adopted as it is otherwise, so
     * its images survive a controller restart). {@code out} hears the image build's progress.
     */
    public void ensureRunning(BuildOutput out) {
        String name = containerName();
        try {
            var state = docker.client().inspectContainerCmd(name).exec().getState();
            if (!Boolean.TRUE.equals(state.getRunning())) {
                docker.client().startContainerCmd(name).exec();
            }
            return;
        } catch (NotFoundException missing) {
            // first time in Swarm mode on this manager
        }
        String tag = image.ensure(out).get("service-registry");
        ExposedPort exposed = ExposedPort.tcp(5000);
        try {
            docker.client().createContainerCmd(tag)
                    .withName(name)
                    .withLabels(Map.of(Labels.PLATFORM, platform, Labels.ROLE, "registry"))
                    .withEnv("REGISTRY_PASSWORD=" + password)
                    .withExposedPorts(exposed)
                    .withHostConfig(HostConfig.newHostConfig()
                            .withRestartPolicy(RestartPolicy.unlessStoppedRestart())
                            .withSecurityOpts(List.of("no-new-privileges"))
                            .withPortBindings(new PortBinding(Ports.Binding.bindPort(port), exposed))
                            .withMounts(List.of(new Mount().withType(MountType.VOLUME)
                                    .withSource("slipway-" + platform + "-registry").withTarget("/var/lib/docker-registry"))))
                    .exec();
        } catch (ConflictException madeMeanwhile) {
            // another controller made it
        }
        docker.client().startContainerCmd(name).exec();
        log.info("registry {} started at {}", name, address());
    }

    private String containerName() {
        return "slipway-" + platform + "-registry";
    }

    /**
     * Pushes a release's image to the registry and returns the reference the nodes pull. A failure
     * says what the registry answered, so a deploy fails with it and the live release keeps serving.
     */
    public String push(String localImage, String app, int release) {
        String repository = address() + "/" + platform + "/" + app;
        String tag = "v" + release;
        docker.client().tagImageCmd(localImage, repository, tag).exec();
        AtomicReference<String> error = new AtomicReference<>();
        try {
            docker.client().pushImageCmd(repository).withTag(tag).withAuthConfig(auth())
                    .exec(new ResultCallback.Adapter<PushResponseItem>() {
                        @Override
                        public void onNext(PushResponseItem item) {
                            if (item.getErrorDetail() != null) {
                                error.set(item.getErrorDetail().getMessage());
                            }
                        }
                    }).awaitCompletion(10, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while pushing " + repository + ":" + tag);
        } catch (DockerException e) {
            error.compareAndSet(null, e.getMessage());
        }
        if (error.get() != null) {
            throw new IllegalStateException("the platform's registry at " + address() + " did not take the image: "
                    + error.get().strip() + " (is the registry container " + containerName() + " running on the manager?)");
        }
        return repository + ":" + tag;
    }
}
