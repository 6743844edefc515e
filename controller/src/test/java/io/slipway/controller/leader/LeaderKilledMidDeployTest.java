package io.slipway.controller.leader;

import static io.slipway.controller.testing.Api.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slipway.controller.testing.Api;
import io.slipway.controller.testing.ControllerProcess;
import io.slipway.controller.testing.GitPush;
import io.slipway.controller.testing.RoutableDynos;
import io.slipway.controller.testing.TestPlatform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * {@code kill -9} of the leading controller while a release boots: the other controller takes the
 * lead within seconds and takes the release to live; the push, made through it, sees it through.
 */
class LeaderKilledMidDeployTest {
    static final GitPush buildpack = GitPush.of(Path.of("src/test/resources/fixtures/hello-buildpack"));

    @Test
    void theFollowerTakesTheLeadWithinSecondsAndTheBootingReleaseGoesLive() throws Exception {
        TestPlatform platform = TestPlatform.start();
        Path secondHome = Files.createTempDirectory("slipway-second-home-");
        try {
            Api api = Api.of(platform);
            assertThat(api.post("/apps", "{\"name\":\"takeover\"}").status()).isEqualTo(201);
            api.patch("/apps/takeover/config-vars", "{\"BUILDPACK_URL\":\"file://" + buildpack.dir() + "\"}");
            GitPush repo = GitPush.init().write("hello.txt", "hi\n")
                    .write("Procfile", "web: python3 -m http.server $PORT\n").commit("v1");
            assertThat(repo.push(platform.apiUrl(), "takeover", platform.adminToken()).output()).contains("Released v1");
            platform.stopController();

            ControllerProcess doomed = ControllerProcess.start(platform.env(), platform.home().resolve("controller.log"));
            Map<String, String> secondEnv = SecondController.env(platform.env(), secondHome);
            try (ControllerProcess second = ControllerProcess.start(secondEnv, secondHome.resolve("controller.log"))) {
                Api follower = new Api(SecondController.apiUrl(secondEnv), platform.adminToken());
                assertThat(json(api.get("/healthz")).get("leads").asBoolean()).isTrue();
                assertThat(json(follower.get("/healthz")).get("leads").asBoolean()).isFalse();

                repo.write("Procfile", "web: sleep 8; python3 -m http.server $PORT\n").commit("v2 binds late");
                CompletableFuture<GitPush.Result> push = CompletableFuture.supplyAsync(
                        () -> repo.push(SecondController.apiUrl(secondEnv), "takeover", platform.adminToken()));
                await().atMost(Duration.ofSeconds(90)).until(() -> state(follower, 2).equals("booting")
                        && json(follower.get("/apps/takeover/dynos")).size() == 2);

                doomed.kill();
                long killed = System.nanoTime();
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                        .until(() -> json(follower.get("/healthz")).get("leads").asBoolean());
                long takeoverMs = (System.nanoTime() - killed) / 1_000_000;
                System.out.println("figure: leader takeover after kill -9: " + takeoverMs + " ms");
                assertThat(takeoverMs).as("the follower leads within seconds").isLessThan(10_000);

                await().atMost(Duration.ofSeconds(60)).until(() -> !state(follower, 2).equals("booting"));
                System.out.println("figure: booting release live after kill -9 of the leader: "
                        + (System.nanoTime() - killed) / 1_000_000 + " ms");
                assertThat(state(follower, 2)).isEqualTo("live");
                assertThat(push.get().output()).contains("Released v2");
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    var dynos = json(follower.get("/apps/takeover/dynos"));
                    assertThat(dynos.size()).isEqualTo(1);
                    assertThat(dynos.get(0).get("release").asText()).isEqualTo("v2");
                });
                assertThat(RoutableDynos.ports(platform, "takeover")).hasSize(1);
            }
            platform.startController();
        } finally {
            platform.close();
            SecondController.deleteTree(secondHome);
        }
    }

    private static String state(Api api, int version) {
        var r = api.get("/apps/takeover/releases/v" + version);
        return r.status() == 200 ? json(r).get("state").asText() : "none";
    }
}
