package io.slipway.controller.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.io.IOException;
import java.time.Duration;

/**
 * The Docker engine, through docker-java. {@code DOCKER_HOST} (or the local socket) says which;
 * nothing in Slipway shells out to the docker CLI.
 */
public final class DockerEngine implements AutoCloseable {
    private final DockerClient client;
    private final java.net.URI host;

    private DockerEngine(DockerClient client, java.net.URI host) {
        this.client = client;
        this.host = host;
    }

    /** Where the engine listens ({@code unix:///var/run/docker.sock} unless DOCKER_HOST says otherwise). */
    public java.net.URI host() {
        return host;
    }

    public static DockerEngine connect() {
        return connect(DefaultDockerClientConfig.createDefaultConfigBuilder().build());
    }

    /** The engine at {@code dockerHost} ({@code unix:///path/docker.sock}, or what DOCKER_HOST takes). */
    public static DockerEngine at(String dockerHost) {
        return at(dockerHost, 64);
    }

    /**
     * The engine at {@code dockerHost} through a client of its own with up to {@code maxConnections}
     * connections: a follow of a log holds one for as long as it runs.
     */
    public static DockerEngine at(String dockerHost, int maxConnections) {
        return connect(DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(dockerHost).build(),
                maxConnections);
    }

    private static DockerEngine connect(DefaultDockerClientConfig config) {
        return connect(config, 64);
    }

    private static DockerEngine connect(DefaultDockerClientConfig config, int maxConnections) {
        ZerodepDockerHttpClient http = new ZerodepDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .maxConnections(maxConnections)
                .connectionTimeout(Duration.ofSeconds(5))
                .build();
        return new DockerEngine(DockerClientImpl.getInstance(config, http), config.getDockerHost());
    }

    public DockerClient client() {
        return client;
    }

    /** The engine's version, or an exception saying it cannot be reached. */
    public String version() {
        try {
            return client.versionCmd().exec().getVersion();
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot reach the Docker engine (" + describeHost() + "): "
                    + e.getMessage() + "; start it (./slipway up starts dockerd as root) or set DOCKER_HOST", e);
        }
    }

    public boolean imageExists(String ref) {
        try {
            client.inspectImageCmd(ref).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    /** Removes a container, running or not, ignoring one that is already gone. */
    public void removeContainer(String id) {
        try {
            client.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException ignored) {
            // already gone
        } catch (com.github.dockerjava.api.exception.ConflictException ignored) {
            // another thread is removing it right now
        }
    }

    private static String describeHost() {
        String host = System.getenv("DOCKER_HOST");
        return host == null ? "unix:///var/run/docker.sock" : host;
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (IOException ignored) {
            // closing the HTTP client cannot lose anything
        }
    }
}
