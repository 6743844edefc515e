package io.slipway.controller.build;

import static io.slipway.controller.testing.Api.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slipway.controller.docker.DockerEngine;
import io.slipway.controller.docker.Labels;
import io.slipway.controller.testing.Api;
import io.slipway.controller.testing.ControllerProcess;
import io.slipway.controller.testing.GitPush;
import io.slipway.controller.testing.TestPlatform;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Builds that run too long, overlap, or lose their controller: clear outcomes, nothing left behind. */
class BuildLimitsTest {
    static GitPush buildpack;
    static DockerEngine docker;

    @BeforeAll
    static void start() {
        buildpack = GitPush.of(Path.of("src/test/resources/fixtures/hello-buildpack"));
        docker = DockerEngine.connect();
    }

    @AfterAll
    static void stop() {
        docker.close();
    }

    @Test
    void aBuildPastItsTimeoutIsStoppedFailsThePushAndLeavesNoContainer() {
        try (TestPlatform platform = TestPlatform.start(Map.of("SLIPWAY_BUILD_TIMEOUT", "5s"))) {
            Api api = app(platform, "slowpoke");
            GitPush app = GitPush.init().write("hello.txt", "slow\n60\n").commit("slow");

            GitPush.Result push = app.push(platform.apiUrl(), "slowpoke", platform.adminToken());

            assertThat(push.exit()).isNotZero();
            assertThat(push.output()).contains("the build took longer than 5 s and was stopped");
            assertThat(json(api.get("/apps/slowpoke/builds")).get(0).get("status").asText()).isEqualTo("failed");
            assertThat(buildContainers("slowpoke")).isZero();
        }
    }

    @Test
    void aSecondPushWhileABuildRunsWaitsItsTurnSayingSoAndIsNeverInterleaved() throws Exception {
        try (TestPlatform platform = TestPlatform.start()) {
            Api api = app(platform, "busy");
            GitPush first = GitPush.init().write("hello.txt", "slow\n8\n").commit("slow");
            CompletableFuture<GitPush.Result> running = CompletableFuture.supplyAsync(
                    () -> first.push(platform.apiUrl(), "busy", platform.adminToken()));
            await().atMost(Duration.ofSeconds(60)).until(() -> buildContainers("busy") == 1);

            GitPush second = GitPush.init().write("hello.txt", "quick\n").commit("quick");
            GitPush.Result refused = second.push(platform.apiUrl(), "busy", platform.adminToken());

            // Pushes to one app take turns (across controllers too): this one waited, said so, and was
            // then told its history does not continue the first push's, as git says it.
            assertThat(refused.exit()).isNotZero();
            assertThat(refused.output()).contains("Waiting for another push to busy to finish")
                    .contains("! [rejected]        main -> main (non-fast-forward)");
            GitPush.Result firstResult = running.get();
            assertThat(firstResult.exit()).as(firstResult.output()).isZero();
            assertThat(firstResult.output()).contains("Released v1");
            assertThat(json(api.get("/apps/busy/builds")).size()).isEqualTo(1);
        }
    }

    @Test
    void aControllerKilledMidBuildFailsTheBuildOnRestartAndRemovesItsContainer() throws Exception {
        TestPlatform platform = TestPlatform.start();
        try {
            Api api = app(platform, "orphan");
            platform.stopController();
            Path log = platform.home().resolve("controller.log");
            ControllerProcess doomed = ControllerProcess.start(platform.env(), log);
            GitPush app = GitPush.init().write("hello.txt", "slow\n60\n").commit("slow");
            CompletableFuture<GitPush.Result> push = CompletableFuture.supplyAsync(
                    () -> app.push(platform.apiUrl(), "orphan", platform.adminToken()));
            await().atMost(Duration.ofSeconds(60)).until(() -> buildContainers("orphan") == 1);

            doomed.kill();
            assertThat(push.get().exit()).isNotZero();

            try (ControllerProcess restarted = ControllerProcess.start(platform.env(), log)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> buildContainers("orphan") == 0);
                var build = json(api.get("/apps/orphan/builds")).get(0);
                assertThat(build.get("status").asText()).isEqualTo("failed");
                assertThat(build.get("failure").asText())
                        .matches("the controller \\S+:" + platform.env().get("SLIPWAY_API_PORT") + " stopped during this build; push again");
                assertThat(json(api.get("/apps/orphan/releases")).size()).isZero();
            }
            platform.startController();
        } finally {
            platform.close();
        }
    }

    @Test
    void aBuildRunsAsTheBuildUserWithinTheMemoryCpuAndLogLimitsItWasGiven() throws Exception {
        try (TestPlatform platform = TestPlatform.start(Map.of("SLIPWAY_BUILD_MEMORY", "1536m", "SLIPWAY_BUILD_CPUS", "1",
                "SLIPWAY_CONTAINER_LOG_MAX_SIZE", "5m", "SLIPWAY_CONTAINER_LOG_MAX_FILES", "2"))) {
            app(platform, "limited");
            GitPush app = GitPush.init().write("hello.txt", "slow\n6\n").commit("slow");
            // Its own thread: the common pool may have a single one, which JGit's first use of a file system needs.
            CompletableFuture<GitPush.Result> push = CompletableFuture.supplyAsync(
                    () -> app.push(platform.apiUrl(), "limited", platform.adminToken()), r -> Thread.ofVirtual().start(r));
            await().atMost(Duration.ofSeconds(60)).until(() -> buildContainers("limited") == 1 || push.isDone());
            assertThat(push.isDone()).as(() -> "the push ended before its build was seen: " + push.join().output()).isFalse();
            String id = docker.client().listContainersCmd().withShowAll(true)
                    .withLabelFilter(Map.of(Labels.APP, "limited", Labels.ROLE, Labels.ROLE_BUILD)).exec().get(0).getId();

            var build = docker.client().inspectContainerCmd(id).exec();

            assertThat(build.getConfig().getUser()).isEqualTo("10001:10001");
            assertThat(build.getHostConfig().getMemory()).isEqualTo(1536L << 20);
            assertThat(build.getHostConfig().getMemorySwap()).isEqualTo(1536L << 20);
            assertThat(build.getHostConfig().getNanoCPUs()).isEqualTo(1_000_000_000L);
            assertThat(build.getHostConfig().getSecurityOpts()).contains("no-new-privileges");
            assertThat(build.getHostConfig().getCapDrop()).contains(com.github.dockerjava.api.model.Capability.ALL);
            assertThat(build.getHostConfig().getLogConfig().getType().getType()).isEqualTo("json-file");
            assertThat(build.getHostConfig().getLogConfig().getConfig()).containsEntry("max-size", "5m").containsEntry("max-file", "2");
            assertThat(build.getNetworkSettings().getNetworks()).containsOnlyKeys("slipway-" + platform.platformId() + "-builds");
            GitPush.Result result = push.get();
            assertThat(result.exit()).as(result.output()).isZero();
            assertThat(result.output()).contains("Released v1");
        }
    }

    private static Api app(TestPlatform platform, String name) {
        Api api = Api.of(platform);
        assertThat(api.post("/apps", "{\"name\":\"" + name + "\"}").status()).isEqualTo(201);
        api.patch("/apps/" + name + "/config-vars", "{\"BUILDPACK_URL\":\"file://" + buildpack.dir() + "\"}");
        return api;
    }

    private static int buildContainers(String app) {
        return docker.client().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(Labels.APP, app, Labels.ROLE, Labels.ROLE_BUILD)).exec().size();
    }
}
