package io.slipway.controller.leader;

import static io.slipway.controller.testing.Api.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.controller.testing.Api;
import io.slipway.controller.testing.ControllerProcess;
import io.slipway.controller.testing.GitPush;
import io.slipway.controller.testing.TestPlatform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * {@code kill -9} of a controller while it runs a build (the push came to it): the build would stay
 * 'building' for good, as nothing else finishes it. The leader fails it within seconds, naming the
 * controller that stopped, and leaves alone a build that a running controller has under way.
 */
class ControllerKilledMidBuildTest {
    static final GitPush buildpack = GitPush.of(Path.of("src/test/resources/fixtures/hello-buildpack"));

    @Test
    void theLeaderFailsTheBuildOfAControllerThatDiedAndNotOneUnderWayElsewhere() throws Exception {
        TestPlatform platform = TestPlatform.start();
        Path secondHome = Files.createTempDirectory("slipway-second-home-");
        try {
            Api leader = Api.of(platform);
            assertThat(leader.post("/apps", "{\"name\":\"orphan\"}").status()).isEqualTo(201);
            leader.patch("/apps/orphan/config-vars", "{\"BUILDPACK_URL\":\"file://" + buildpack.dir() + "\"}");
            var env = SecondController.env(platform.env(), secondHome);
            String secondId;
            try (ControllerProcess second = ControllerProcess.start(env, secondHome.resolve("controller.log"))) {
                secondId = json(new Api(SecondController.apiUrl(env), null).get("/healthz")).get("controller").asText();
                GitPush slow = GitPush.init().write("hello.txt", "slow\n120\n").commit("slow");
                CompletableFuture<GitPush.Result> push = CompletableFuture.supplyAsync(() ->
                        slow.push(SecondController.apiUrl(env), "orphan", platform.adminToken()));
                await("the build under way on the second controller").atMost(Duration.ofSeconds(60))
                        .until(() -> "building".equals(lastBuild(leader).path("status").asText()));
                second.kill();
                push.join(); // its connection went with the controller
            }
            long killed = System.nanoTime();
            await("the build failed by the leader").atMost(Duration.ofSeconds(20))
                    .until(() -> "failed".equals(lastBuild(leader).path("status").asText()));
            System.out.printf("figure: the build of a killed controller failed after %d ms%n",
                    (System.nanoTime() - killed) / 1_000_000);
            assertThat(lastBuild(leader).get("failure").asText())
                    .isEqualTo("the controller " + secondId + " stopped during this build; push again");

            // A build the leader itself runs spans several of its looks, and is left to finish.
            GitPush.Result own = GitPush.init().write("hello.txt", "slow\n12\n")
                    .write("Procfile", "web: python3 -m http.server $PORT\n").commit("own")
                    .push(platform.apiUrl(), "orphan", platform.adminToken());
            assertThat(own.output()).contains("Released v1");
            assertThat(lastBuild(leader).get("status").asText()).isEqualTo("succeeded");
        } finally {
            platform.close();
            SecondController.deleteTree(secondHome);
        }
    }

    /** The app's newest build; an empty object before the first. */
    private static JsonNode lastBuild(Api api) {
        JsonNode newest = com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        for (JsonNode b : json(api.get("/apps/orphan/builds"))) {
            if (newest.isMissingNode() || b.get("number").asInt() > newest.get("number").asInt()) {
                newest = b;
            }
        }
        return newest;
    }
}
