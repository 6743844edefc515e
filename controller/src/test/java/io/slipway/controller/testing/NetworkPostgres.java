package io.slipway.controller.testing;

import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import io.slipway.controller.build.LocalImages;
import io.slipway.controller.docker.DockerEngine;
import io.slipway.controller.docker.Labels;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The platform's PostgreSQL as a container on a network a test made (the Swarm harness's), for
 * processes that run inside that network, such as a router on a Swarm node, and for the host's
 * controller through a port published on 127.0.0.1. The image is the postgres add-on's, built
 * locally from Debian's packages; its data lives in the container and goes with it.
 */
public final class NetworkPostgres implements AutoCloseable {
    private static final Path BUILDPACKS = Path.of("..", "buildpacks").toAbsolutePath().normalize();
    private static final String USER = "slipway";
    private static final String DB = "slipway";

    private final DockerEngine host;
    private final String container;
    private final String password;
    private final String address;
    private final int hostPort;

    private NetworkPostgres(DockerEngine host, String container, String password, String address, int hostPort) {
        this.host = host;
        this.container = container;
        this.password = password;
        this.address = address;
        this.hostPort = hostPort;
    }

    /** Starts it on {@code network} of the host's engine and returns once it takes connections. */
    public static NetworkPostgres start(DockerEngine host, String network) {
        String image = new LocalImages(host, BUILDPACKS.resolve("stack").resolve("base"), "slipway/",
                "the postgres service image", "buildpacks/services/postgres/", Labels.ROLE_SERVICE,
                List.of(new LocalImages.Image("postgres service", BUILDPACKS.resolve("services").resolve("postgres"),
                        "service-postgres"))).ensure(line -> { }).get("service-postgres");
        String password = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        String name = network + "-postgres";
        String id = host.client().createContainerCmd(image)
                .withName(name)
                .withEnv("POSTGRES_USER=" + USER, "POSTGRES_PASSWORD=" + password, "POSTGRES_DB=" + DB)
                .withExposedPorts(ExposedPort.tcp(5432))
                .withHostConfig(HostConfig.newHostConfig().withNetworkMode(network)
                        .withPortBindings(new PortBinding(Ports.Binding.bindIp("127.0.0.1"), ExposedPort.tcp(5432))))
                .exec().getId();
        host.client().startContainerCmd(id).exec();
        var inspected = host.client().inspectContainerCmd(id).exec();
        String address = inspected.getNetworkSettings().getNetworks().get(network).getIpAddress();
        int port = Integer.parseInt(inspected.getNetworkSettings().getPorts().getBindings().get(ExposedPort.tcp(5432))[0]
                .getHostPortSpec());
        NetworkPostgres pg = new NetworkPostgres(host, id, password, address, port);
        pg.awaitConnections();
        return pg;
    }

    /** The URL the host's processes use (127.0.0.1 and the published port). */
    public String hostUrl() {
        return "postgres://" + USER + ":" + password + "@127.0.0.1:" + hostPort + "/" + DB;
    }

    /** The URL processes inside the network use (the container's address there: no name lookup needed). */
    public String networkUrl() {
        return "postgres://" + USER + ":" + password + "@" + address + ":5432/" + DB;
    }

    private void awaitConnections() {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String jdbc = "jdbc:postgresql://127.0.0.1:" + hostPort + "/" + DB;
        while (true) {
            try (var c = DriverManager.getConnection(jdbc, USER, password)) {
                return;
            } catch (java.sql.SQLException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the test's PostgreSQL container " + container
                            + " took no connection within 60 s: " + e.getMessage() + "; see `docker logs " + container + "`");
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(ie);
                }
            }
        }
    }

    @Override
    public void close() {
        try {
            host.client().removeContainerCmd(container).withForce(true).withRemoveVolumes(true).exec();
        } catch (RuntimeException gone) {
            // already removed
        }
    }
}
