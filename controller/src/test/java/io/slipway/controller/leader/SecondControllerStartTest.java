package io.slipway.controller.leader;

import static io.slipway.controller.testing.Api.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slipway.controller.testing.Api;
import io.slipway.controller.testing.ControllerProcess;
import io.slipway.controller.testing.GitPush;
import io.slipway.controller.testing.TestPlatform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * A controller that starts beside a running one takes nothing of the running one's for the
 * left-overs of a stopped controller: a build under way there goes on to its release.
 */
class SecondControllerStartTest {
    static final GitPush buildpack = GitPush.of(Path.of("src/test/resources/fixtures/hello-buildpack"));

    @Test
    void aBuildUnderWayOnTheFirstControllerOutlivesTheStartOfASecond() throws Exception {
        TestPlatform platform = TestPlatform.start();
        Path secondHome = Files.createTempDirectory("slipway-second-home-");
        try {
            Api api = Api.of(platform);
            assertThat(api.post("/apps", "{\"name\":\"busy\"}").status()).isEqualTo(201);
            api.patch("/apps/busy/config-vars", "{\"BUILDPACK_URL\":\"file://" + buildpack.dir() + "\"}");
            GitPush repo = GitPush.init().write("hello.txt", "slow\n20\n")
                    .write("Procfile", "web: python3 -m http.server $PORT\n").commit("a slow build");
            // Not on the common pool: JGit measures the file system there on a repository's first use, and
            // with a pool of one thread (two cores) a push waiting on it would wait on itself.
            CompletableFuture<GitPush.Result> push = CompletableFuture.supplyAsync(
                    () -> repo.push(platform.apiUrl(), "busy", platform.adminToken()), Executors.newVirtualThreadPerTaskExecutor());
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(api.get("/apps/busy/builds").body())
                    .as(push.isDone() ? push.get().output() : "pushing").contains("\"status\":\"building\""));

            try (var second = ControllerProcess.start(SecondController.env(platform.env(), secondHome),
                    secondHome.resolve("controller.log"))) {
                GitPush.Result result = push.get();
                assertThat(result.output()).contains("Released v1");
                assertThat(json(api.get("/apps/busy/builds")).get(0).get("status").asText()).isEqualTo("succeeded");
            }
        } finally {
            platform.close();
            SecondController.deleteTree(secondHome);
        }
    }
}
