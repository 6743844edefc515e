package io.slipway.controller.dyno;

import static io.slipway.controller.testing.Api.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.model.Capability;
import io.slipway.controller.docker.DockerEngine;
import io.slipway.controller.testing.Api;
import io.slipway.controller.testing.GitPush;
import io.slipway.controller.testing.TestPlatform;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Process types running as real containers: scale, crash, restart, adopt, and a release that never boots. */
class DynosRunTest {
    static TestPlatform platform;
    static Api api;
    static DockerEngine docker;
    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    static void deploy() {
        platform = TestPlatform.start(Map.of("SLIPWAY_BOOT_TIMEOUT", "8s", "SLIPWAY_DYNO_GRACE", "3s"));
        api = Api.of(platform);
        docker = DockerEngine.connect();
        GitPush buildpack = GitPush.of(Path.of("src/test/resources/fixtures/hello-buildpack"));
        assertThat(api.post("/apps", "{\"name\":\"shop\"}").status()).isEqualTo(201);
        api.patch("/apps/shop/config-vars", "{\"BUILDPACK_URL\":\"file://" + buildpack.dir() + "\",\"GREETING\":\"hi\"}");
        GitPush app = GitPush.init().write("hello.txt", "hello world\n")
                .write("Procfile", "web: python3 -m http.server $PORT\ncrasher: echo about to fail; exit 3\n").commit("first");
        GitPush.Result push = app.push(platform.apiUrl(), "shop", platform.adminToken());
        assertThat(push.exit()).as(push.output()).isZero();
        assertThat(push.output()).contains("Starting web.1 ... up");
    }

    @AfterAll
    static void stop() {
        platform.close();
        docker.close();
    }

    @Test
    void aWebDynoAnswersOnLoopbackAsAHardenedNonRootContainer() throws Exception {
        JsonNode web = dyno("web.1");
        assertThat(web.get("state").asText()).isEqualTo("up");
        assertThat(web.get("release").asText()).isEqualTo("v1");
        var container = docker.client().inspectContainerCmd(containerOf("web", 1)).exec();
        assertThat(container.getConfig().getUser()).isEqualTo("10001:10001");
        assertThat(container.getHostConfig().getCapDrop()).contains(Capability.ALL);
        assertThat(container.getHostConfig().getSecurityOpts()).contains("no-new-privileges");
        assertThat(container.getHostConfig().getMemory()).isEqualTo(512L << 20);
        assertThat(container.getHostConfig().getPidsLimit()).isEqualTo(512L);
        assertThat(container.getHostConfig().getCpuShares()).isEqualTo(1024);
        assertThat(container.getHostConfig().getLogConfig().getConfig()).containsEntry("max-size", "10m").containsEntry("max-file", "3");
        assertThat(container.getHostConfig().getBinds()).isNullOrEmpty();
        var bindings = container.getHostConfig().getPortBindings().getBindings().values().iterator().next();
        assertThat(bindings[0].getHostIp()).isEqualTo("127.0.0.1");
        assertThat(List.of(container.getConfig().getEnv())).contains("PORT=5000", "DYNO=web.1", "SLIPWAY_APP=shop",
                "GREETING=hi", "HOME=/app");
        assertThat(get(port("web", 1), "/compiled.txt")).isEqualTo("HELLO WORLD\n");
    }

    @Test
    void scalingWebToThreeServesFromThreeDynos() throws Exception {
        Api.Response scaled = api.patch("/apps/shop/formation", "{\"updates\":[{\"type\":\"web\",\"quantity\":3}]}");
        assertThat(scaled.status()).as(scaled.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> upDynos("web") == 3);
        for (int i = 1; i <= 3; i++) {
            assertThat(get(port("web", i), "/compiled.txt")).isEqualTo("HELLO WORLD\n");
        }
        api.patch("/apps/shop/formation", "{\"updates\":[{\"type\":\"web\",\"quantity\":1}]}");
        await().atMost(Duration.ofSeconds(30)).until(() -> json(api.get("/apps/shop/dynos")).size() == 1);
    }

    @Test
    void aDynoKilledFromOutsideIsRestartedAtOnce() {
        String before = containerOf("web", 1);
        docker.client().killContainerCmd(before).exec();
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            JsonNode web = dyno("web.1");
            assertThat(web.get("state").asText()).isEqualTo("up");
            assertThat(web.get("restarts").asInt()).isGreaterThanOrEqualTo(1);
            assertThat(get(port("web", 1), "/compiled.txt")).isEqualTo("HELLO WORLD\n");
        });
    }

    @Test
    void aCrashingDynoIsRestartedWithGrowingBackoffVisibleInPs() {
        api.patch("/apps/shop/formation", "{\"updates\":[{\"type\":\"crasher\",\"quantity\":1}]}");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode crasher = dyno("crasher.1");
            assertThat(crasher.get("restarts").asInt()).isGreaterThanOrEqualTo(2);
            assertThat(crasher.get("state").asText()).isIn("restarting", "starting", "up");
        });
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(dyno("crasher.1").get("state").asText()).isEqualTo("restarting"));
        assertThat(dyno("crasher.1").get("restart_at").asText()).isNotBlank();
        api.patch("/apps/shop/formation", "{\"updates\":[{\"type\":\"crasher\",\"quantity\":0}]}");
    }

    @Test
    void scalingRefusesNegativeUnknownAndExcessiveQuantities() {
        assertThat(api.patch("/apps/shop/formation", "{\"updates\":[{\"type\":\"web\",\"quantity\":-1}]}").status()).isEqualTo(422);
        assertThat(api.patch("/apps/shop/formation", "{\"updates\":[{\"type\":\"nosuch\",\"quantity\":1}]}").body())
                .contains("unknown process type 'nosuch'");
        assertThat(api.patch("/apps/shop/formation", "{\"updates\":[{\"type\":\"web\",\"quantity\":1000}]}").body())
                .contains("between 0 and 20");
        assertThat(api.delete("/apps/shop/dynos/web.9").status()).isEqualTo(404);
    }

    @Test
    void aRestartedControllerAdoptsRunningDynosInsteadOfRestartingThem() throws Exception {
        String before = containerOf("web", 1);
        platform.restartController();
        Thread.sleep(2500); // a few reconcile ticks
        assertThat(containerOf("web", 1)).isEqualTo(before);
        assertThat(docker.client().inspectContainerCmd(before).exec().getState().getRunning()).isTrue();
        assertThat(dyno("web.1").get("state").asText()).isEqualTo("up");
    }

    @Test
    void aReleaseThatNeverBootsLeavesTheOldOneServing() throws Exception {
        String serving = containerOf("web", 1);
        GitPush broken = GitPush.init().write("hello.txt", "broken\n").write("Procfile", "web: sleep 1000\n").commit("never binds");

        GitPush.Result push = broken.push(platform.apiUrl(), "shop", platform.adminToken(), "+main:main");

        assertThat(push.exit()).isNotZero();
        assertThat(push.output()).contains("did not accept connections on $PORT within 8 s")
                .contains("v1 keeps serving.");
        assertThat(containerOf("web", 1)).isEqualTo(serving);
        assertThat(get(port("web", 1), "/compiled.txt")).isEqualTo("HELLO WORLD\n");
        JsonNode releases = json(api.get("/apps/shop/releases"));
        assertThat(releases.get(0).get("status").asText()).isEqualTo("failed");
        assertThat(releases.get(1).get("current").asBoolean()).isTrue();
    }

    private static int upDynos(String type) {
        int n = 0;
        for (JsonNode d : json(api.get("/apps/shop/dynos"))) {
            if (d.get("type").asText().equals(type) && d.get("state").asText().equals("up")) {
                n++;
            }
        }
        return n;
    }

    private static JsonNode dyno(String name) {
        for (JsonNode d : json(api.get("/apps/shop/dynos"))) {
            if (d.get("name").asText().equals(name)) {
                return d;
            }
        }
        throw new AssertionError("no dyno " + name + " in " + api.get("/apps/shop/dynos").body());
    }

    private static List<Map<String, String>> rows(String type, int index) {
        var url = io.slipway.controller.db.DatabaseUrl.parse(platform.env().get("DATABASE_URL"));
        List<Map<String, String>> rows = new ArrayList<>();
        try (var c = java.sql.DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
             var st = c.prepareStatement("select container_id, port from dynos where type = ? and index = ? and state = 'up' and routable")) {
            st.setString(1, type);
            st.setInt(2, index);
            var rs = st.executeQuery();
            while (rs.next()) {
                rows.add(Map.of("container", rs.getString(1), "port", String.valueOf(rs.getObject(2))));
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        assertThat(rows).as("routable %s.%d", type, index).hasSize(1);
        return rows;
    }

    private static String containerOf(String type, int index) {
        return rows(type, index).get(0).get("container");
    }

    private static int port(String type, int index) {
        return Integer.parseInt(rows(type, index).get(0).get("port"));
    }

    private static String get(int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
