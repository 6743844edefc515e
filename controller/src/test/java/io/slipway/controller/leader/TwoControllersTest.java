package io.slipway.controller.leader;

import static io.slipway.controller.testing.Api.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slipway.controller.docker.DockerEngine;
import io.slipway.controller.docker.Labels;
import io.slipway.controller.testing.Api;
import io.slipway.controller.testing.ControllerProcess;
import io.slipway.controller.testing.GitPush;
import io.slipway.controller.testing.RoutableDynos;
import io.slipway.controller.testing.TestPlatform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two controllers on one database: the first leads reconciliation, the second follows and serves
 * the API all the same; what is asked of the follower (a push, a scale, a schedule) the leader
 * carries out, once.
 */
class TwoControllersTest {
    static final GitPush buildpack = GitPush.of(Path.of("src/test/resources/fixtures/hello-buildpack"));
    static TestPlatform platform;
    static Path secondHome;
    static Map<String, String> secondEnv;
    static ControllerProcess second;
    static Api leader;
    static Api follower;
    static GitPush.Result pushed;

    @BeforeAll
    static void twoControllersAndAPushThroughTheFollower() throws Exception {
        platform = TestPlatform.start();
        secondHome = Files.createTempDirectory("slipway-second-home-");
        secondEnv = SecondController.env(platform.env(), secondHome);
        second = ControllerProcess.start(secondEnv, secondHome.resolve("controller.log"));
        leader = Api.of(platform);
        follower = new Api(SecondController.apiUrl(secondEnv), platform.adminToken());
        assertThat(follower.post("/apps", "{\"name\":\"duo\"}").status()).isEqualTo(201);
        follower.patch("/apps/duo/config-vars", "{\"BUILDPACK_URL\":\"file://" + buildpack.dir() + "\"}");
        GitPush repo = GitPush.init().write("hello.txt", "hi\n")
                .write("Procfile", "web: python3 -m http.server $PORT\n").commit("v1");
        pushed = repo.push(SecondController.apiUrl(secondEnv), "duo", platform.adminToken());
    }

    @AfterAll
    static void stop() {
        if (second != null) {
            second.close();
        }
        if (platform != null) {
            platform.close();
        }
        SecondController.deleteTree(secondHome);
    }

    @Test
    void exactlyOneControllerLeadsAndEachSaysWhichOne() {
        var first = json(leader.get("/healthz"));
        var other = json(follower.get("/healthz"));

        assertThat(first.get("leads").asBoolean()).isTrue();
        assertThat(other.get("leads").asBoolean()).isFalse();
        assertThat(first.get("leader").asText()).isEqualTo(first.get("controller").asText());
        assertThat(other.get("leader").asText()).isEqualTo(first.get("controller").asText());
        assertThat(other.get("controller").asText()).isNotEqualTo(first.get("controller").asText());
    }

    @Test
    void aPushThroughTheFollowerIsReleasedByTheLeader() throws Exception {
        assertThat(pushed.output()).contains("Released v1");
        assertThat(json(follower.get("/apps/duo/releases/v1")).get("state").asText()).isEqualTo("live");
        assertThat(RoutableDynos.ports(platform, "duo")).isNotEmpty();
    }

    @Test
    void aScaleThroughTheFollowerIsCarriedOutByTheLeaderWithOneContainerPerDyno() throws Exception {
        assertThat(pushed.output()).contains("Released v1");
        assertThat(follower.patch("/apps/duo/formation", "{\"updates\":[{\"type\":\"web\",\"quantity\":3}]}").status())
                .isEqualTo(200);

        await().atMost(Duration.ofSeconds(60)).until(() -> RoutableDynos.ports(platform, "duo").size() == 3);
        Thread.sleep(3000); // two reconcilers would start a dyno twice, or stop each other's
        assertThat(dynoContainers()).isEqualTo(3);
        assertThat(RoutableDynos.ports(platform, "duo")).hasSize(3);
    }

    @Test
    void aScheduleAddedThroughTheFollowerFiresOncePerSlotAcrossBothControllers() {
        assertThat(pushed.output()).contains("Released v1");
        var added = follower.post("/apps/duo/schedules", "{\"cron\":\"* * * * *\",\"command\":\"echo tick\"}");
        assertThat(added.status()).isEqualTo(201);
        UUID id = UUID.fromString(json(added).get("id").asText());
        assertThat(SecondController.count(platform, "select count(distinct instance_name) from qrtz_scheduler_state"))
                .as("both controllers are members of the Quartz cluster").isEqualTo(2);

        // Every minute: the next slot comes within one; a second firing of it would come within seconds.
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() -> SecondController.count(
                platform, "select count(distinct scheduled_for) from schedule_runs where schedule_id = ? and status = 'succeeded'", id) >= 1);
        sleep(5000);
        assertThat(SecondController.count(platform, "select count(*) from schedule_runs where schedule_id = ?", id))
                .as("one run per slot").isEqualTo(SecondController.count(platform,
                        "select count(distinct scheduled_for) from schedule_runs where schedule_id = ?", id));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long dynoContainers() {
        try (DockerEngine docker = DockerEngine.connect()) {
            return docker.client().listContainersCmd().withShowAll(true).withLabelFilter(Map.of(
                    Labels.PLATFORM, platform.platformId(), Labels.APP, "duo", Labels.ROLE, Labels.ROLE_DYNO)).exec().size();
        }
    }
}
