package io.slipway.controller.run;

import static io.slipway.controller.testing.Api.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.ContainerNetwork;
import io.slipway.controller.docker.DockerEngine;
import io.slipway.controller.docker.Labels;
import io.slipway.controller.testing.Api;
import io.slipway.controller.testing.WsClient;
import io.slipway.controller.testing.GitPush;
import io.slipway.controller.testing.TestPlatform;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Apps on one platform are apart: a dyno of one app reaches its own app's dynos, and neither
 * another app's dynos nor the services that listen on the host's addresses. Every probe runs
 * inside a container (a one-off dyno); the host itself only listens.
 */
class AppNetworkIsolationTest {
    static TestPlatform platform;
    static Api api;
    static DockerEngine docker;
    static GitPush buildpack;
    static ServerSocket hostListener;
    static final AtomicInteger hostAccepted = new AtomicInteger();
    static String alphaPush;

    @BeforeAll
    static void deploy() throws IOException {
        platform = TestPlatform.start(Map.of("SLIPWAY_DYNO_GRACE", "2s"));
        api = Api.of(platform);
        docker = DockerEngine.connect();
        buildpack = GitPush.of(Path.of("src/test/resources/fixtures/hello-buildpack"));
        // The release command says where it runs: the release phase's container joins the app's network too.
        alphaPush = push("alpha", "web: python3 -m http.server $PORT\nrelease: echo release-phase-address $(hostname -I)\n");
        push("beta", "web: python3 -m http.server $PORT\n");
        // A service of the host's own, listening on every address, as a database on a developer's machine might.
        hostListener = new ServerSocket(0, 50, InetAddress.getByName("0.0.0.0"));
        Thread.ofVirtual().start(() -> {
            while (!hostListener.isClosed()) {
                try (Socket ignored = hostListener.accept()) {
                    hostAccepted.incrementAndGet();
                } catch (IOException closed) {
                    return;
                }
            }
        });
    }

    @AfterAll
    static void stop() throws IOException {
        hostListener.close();
        platform.close();
        docker.close();
    }

    @Test
    void aDynoReachesAnotherDynoOfItsOwnApp() throws Exception {
        assertThat(probe("alpha", address(web("alpha")), 5000)).isEqualTo("CONNECTED");
    }

    @Test
    void aDynoCannotReachADynoOfAnotherApp() throws Exception {
        assertThat(probe("alpha", address(web("beta")), 5000)).isEqualTo("FAILED");
        assertThat(probe("beta", address(web("alpha")), 5000)).isEqualTo("FAILED");
    }

    @Test
    void aDynoCannotReachAServiceListeningOnTheHost() throws Exception {
        // The gateway of the dyno's own network is the host's nearest address.
        String gateway = network(web("alpha")).getGateway();
        int before = hostAccepted.get();

        assertThat(probe("alpha", gateway, hostListener.getLocalPort())).isEqualTo("FAILED");
        assertThat(hostAccepted.get()).isEqualTo(before);
    }

    @Test
    void everyContainerOfAnAppJoinsTheAppsNetworkAndOnlyIt() throws Exception {
        String network = "slipway-" + platform.platformId() + "-alpha";
        assertThat(web("alpha").getNetworkSettings().getNetworks()).containsOnlyKeys(network);

        WsClient run = WsClient.connect(platform.apiUrl(), "alpha", platform.adminToken());
        run.request("{\"command\":\"hostname -I; getent hosts " + web("alpha").getName().substring(1) + " >/dev/null && echo resolved\"}");
        run.awaitClose();
        String subnet = docker.client().inspectNetworkCmd().withNetworkId(network).exec().getIpam().getConfig().get(0).getSubnet();
        assertThat(inSubnet(run.out().lines().findFirst().orElseThrow().strip(), subnet)).as(run.out()).isTrue();
        assertThat(run.out()).as("Docker's embedded resolver answers inside the app's network").contains("resolved");

        var released = Pattern.compile("release-phase-address (\\d+\\.\\d+\\.\\d+\\.\\d+)").matcher(alphaPush);
        assertThat(released.find()).as(alphaPush).isTrue();
        assertThat(inSubnet(released.group(1), subnet)).as(alphaPush).isTrue();
    }

    @Test
    void theAppsNetworkIsKeptAcrossAControllerRestartAndGoesWithTheApp() throws Exception {
        push("gamma", "web: python3 -m http.server $PORT\n");
        String network = "slipway-" + platform.platformId() + "-gamma";
        String id = docker.client().inspectNetworkCmd().withNetworkId(network).exec().getId();

        platform.restartController();
        assertThat(probe("gamma", address(web("gamma")), 5000)).isEqualTo("CONNECTED");
        assertThat(docker.client().inspectNetworkCmd().withNetworkId(network).exec().getId()).isEqualTo(id);

        assertThat(api.delete("/apps/gamma").status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> docker.client().listNetworksCmd()
                .withFilter("label", java.util.List.of(Labels.PLATFORM + "=" + platform.platformId(), Labels.APP + "=gamma"))
                .exec().isEmpty() && docker.client().listNetworksCmd().withNameFilter(network).exec().stream()
                .noneMatch(n -> n.getName().equals(network)));
    }

    @Test
    void aBuildReachesNeitherADynoNorTheHost() {
        GitPush netprobe = GitPush.of(Path.of("src/test/resources/fixtures/netprobe-buildpack"));
        assertThat(api.post("/apps", "{\"name\":\"prober\"}").status()).isEqualTo(201);
        api.patch("/apps/prober/config-vars", "{\"BUILDPACK_URL\":\"file://" + netprobe.dir() + "\",\"PROBE_TARGETS\":\"dyno="
                + address(web("alpha")) + ":5000 host=GATEWAY:" + hostListener.getLocalPort() + "\"}");
        int before = hostAccepted.get();

        GitPush.Result push = GitPush.init().write("Procfile", "web: python3 -m http.server $PORT\n").commit("probe")
                .push(platform.apiUrl(), "prober", platform.adminToken());

        assertThat(push.exit()).as(push.output()).isZero();
        assertThat(push.output()).contains("probe self CONNECTED").contains("probe dyno FAILED").contains("probe host FAILED");
        assertThat(hostAccepted.get()).isEqualTo(before);
    }

    /** CONNECTED or FAILED: what a TCP connect from a one-off dyno of {@code app} to ip:port did. */
    static String probe(String app, String ip, int port) throws Exception {
        WsClient run = WsClient.connect(platform.apiUrl(), app, platform.adminToken());
        run.request("{\"command\":\"timeout 5 bash -c 'exec 3<>/dev/tcp/" + ip + "/" + port
                + "' 2>/dev/null && echo CONNECTED || echo FAILED\"}");
        run.awaitClose();
        return run.out().strip();
    }

    static String push(String app, String procfile) {
        assertThat(api.post("/apps", "{\"name\":\"" + app + "\"}").status()).isEqualTo(201);
        api.patch("/apps/" + app + "/config-vars", "{\"BUILDPACK_URL\":\"file://" + buildpack.dir() + "\"}");
        GitPush.Result push = GitPush.init().write("hello.txt", app + "\n").write("Procfile", procfile)
                .commit("first").push(platform.apiUrl(), app, platform.adminToken());
        assertThat(push.exit()).as(push.output()).isZero();
        assertThat(json(api.get("/apps/" + app + "/dynos")).toString()).contains("web.1");
        return push.output();
    }

    static InspectContainerResponse web(String app) {
        var found = docker.client().listContainersCmd().withLabelFilter(Map.of(Labels.PLATFORM, platform.platformId(),
                Labels.APP, app, Labels.ROLE, Labels.ROLE_DYNO, Labels.TYPE, "web")).exec();
        assertThat(found).as("web dynos of " + app).hasSize(1);
        return docker.client().inspectContainerCmd(found.get(0).getId()).exec();
    }

    static ContainerNetwork network(InspectContainerResponse c) {
        return c.getNetworkSettings().getNetworks().values().iterator().next();
    }

    static String address(InspectContainerResponse c) {
        return network(c).getIpAddress();
    }

    static boolean inSubnet(String ip, String cidr) throws IOException {
        String[] parts = cidr.split("/");
        int bits = Integer.parseInt(parts[1]);
        int mask = bits == 0 ? 0 : -1 << (32 - bits);
        return (toInt(InetAddress.getByName(ip)) & mask) == (toInt(InetAddress.getByName(parts[0])) & mask);
    }

    private static int toInt(InetAddress a) {
        byte[] b = a.getAddress();
        return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
    }
}
