package io.slipway.controller.deploy;

import static io.slipway.controller.testing.Api.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slipway.controller.testing.Api;
import io.slipway.controller.testing.ControllerProcess;
import io.slipway.controller.testing.GitPush;
import io.slipway.controller.testing.RoutableDynos;
import io.slipway.controller.testing.TestPlatform;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * {@code kill -9} of the controller in the middle of a deploy: the controller that comes next
 * finds the release where it was and takes it to live (or failed); nothing stays in flight.
 */
class ControllerKilledMidDeployTest {
    static final GitPush buildpack = GitPush.of(Path.of("src/test/resources/fixtures/hello-buildpack"));

    @Test
    void aControllerKilledDuringTheReleasePhaseFinishesThatReleaseAfterItsRestart() throws Exception {
        TestPlatform platform = TestPlatform.start();
        try {
            Api api = app(platform, "phasekill");
            platform.stopController();
            Path log = platform.home().resolve("controller.log");
            ControllerProcess doomed = ControllerProcess.start(platform.env(), log);
            GitPush repo = GitPush.init().write("hello.txt", "hi\n")
                    .write("Procfile", "web: python3 -m http.server $PORT\nrelease: echo migrating; sleep 6; echo migrated\n")
                    .commit("slow release phase");
            CompletableFuture<GitPush.Result> push = CompletableFuture.supplyAsync(
                    () -> repo.push(platform.apiUrl(), "phasekill", platform.adminToken()));
            await().atMost(Duration.ofSeconds(60)).until(() -> state(api, "phasekill", 1).equals("release_phase")
                    && api.get("/apps/phasekill/log-stream?lines=200").body().contains("migrating"));

            doomed.kill();
            assertThat(push.get().exit()).isNotZero(); // the pusher lost its controller

            try (ControllerProcess restarted = ControllerProcess.start(platform.env(), log)) {
                await().atMost(Duration.ofSeconds(60)).until(() -> state(api, "phasekill", 1).equals("live"));
                assertThat(RoutableDynos.ports(platform, "phasekill")).hasSize(1);
                assertThat(json(api.get("/apps/phasekill/dynos")).size()).isEqualTo(1);
            }
            platform.startController();
        } finally {
            platform.close();
        }
    }

    @Test
    void aControllerKilledWhileTheNewDynosBootCutsOverAfterItsRestartAndStopsTheOldOnes() throws Exception {
        TestPlatform platform = TestPlatform.start();
        try {
            Api api = app(platform, "bootkill");
            GitPush repo = GitPush.init().write("hello.txt", "hi\n")
                    .write("Procfile", "web: python3 -m http.server $PORT\n").commit("v1");
            assertThat(repo.push(platform.apiUrl(), "bootkill", platform.adminToken()).output()).contains("Released v1");
            platform.stopController();
            Path log = platform.home().resolve("controller.log");
            ControllerProcess doomed = ControllerProcess.start(platform.env(), log);
            repo.write("Procfile", "web: sleep 8; python3 -m http.server $PORT\n").commit("v2 binds late");
            CompletableFuture<GitPush.Result> push = CompletableFuture.supplyAsync(
                    () -> repo.push(platform.apiUrl(), "bootkill", platform.adminToken()));
            await().atMost(Duration.ofSeconds(60)).until(() -> state(api, "bootkill", 2).equals("booting")
                    && json(api.get("/apps/bootkill/dynos")).size() == 2);

            doomed.kill();
            push.get();
            assertThat(RoutableDynos.ports(platform, "bootkill")).as("v1 serves while nobody leads").hasSize(1);

            try (ControllerProcess restarted = ControllerProcess.start(platform.env(), log)) {
                await().atMost(Duration.ofSeconds(60)).until(() -> state(api, "bootkill", 2).equals("live"));
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    var dynos = json(api.get("/apps/bootkill/dynos"));
                    assertThat(dynos.size()).isEqualTo(1);
                    assertThat(dynos.get(0).get("release").asText()).isEqualTo("v2");
                });
                assertThat(json(api.get("/apps/bootkill/releases/v2")).get("current").asBoolean()).isTrue();
            }
            platform.startController();
        } finally {
            platform.close();
        }
    }

    private static String state(Api api, String app, int version) {
        var r = api.get("/apps/" + app + "/releases/v" + version);
        return r.status() == 200 ? json(r).get("state").asText() : "none";
    }

    private static Api app(TestPlatform platform, String name) {
        Api api = Api.of(platform);
        assertThat(api.post("/apps", "{\"name\":\"" + name + "\"}").status()).isEqualTo(201);
        api.patch("/apps/" + name + "/config-vars", "{\"BUILDPACK_URL\":\"file://" + buildpack.dir() + "\"}");
        return api;
    }
}
