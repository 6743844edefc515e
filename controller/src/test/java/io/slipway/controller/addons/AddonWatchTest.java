package io.slipway.controller.addons;

import static io.slipway.controller.testing.Api.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slipway.controller.db.Database;
import io.slipway.controller.docker.DockerEngine;
import io.slipway.controller.testing.Api;
import io.slipway.controller.testing.TestPlatform;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An add-on server killed behind the platform's back ({@code docker kill}, which the engine's
 * restart policy takes for a person's stop) is started again by the platform within seconds, on
 * its volume, with its rows; one stopped cleanly ({@code docker stop}) is left as the operator chose.
 */
class AddonWatchTest {
    static TestPlatform platform;
    static Api api;
    static DockerEngine docker;
    static Database db;

    @BeforeAll
    static void start() {
        platform = TestPlatform.start();
        api = Api.of(platform);
        docker = DockerEngine.connect();
        db = Database.open(platform.database(), Duration.ofSeconds(5), Duration.ofSeconds(10));
        new ServiceImages(docker, Path.of("..", "buildpacks").toAbsolutePath().normalize()).ensure(Service.POSTGRES, line -> { });
    }

    @AfterAll
    static void stop() {
        String id = platform.platformId();
        db.close();
        platform.close();
        Networks.removeEverythingOf(docker, id);
        docker.close();
    }

    @Test
    void aKilledPostgresIsStartedAgainWithItsRowsAndACleanlyStoppedOneIsLeftStopped() {
        assertThat(api.post("/apps", "{\"name\":\"sturdy\"}").status()).isEqualTo(201);
        assertThat(api.post("/apps/sturdy/addons", "{\"service\":\"postgres\"}").status()).isEqualTo(202);
        await().atMost(Duration.ofMinutes(2)).until(() -> state().equals("available"));
        psql("create table items as select i from generate_series(1, 1234) i");
        String container = "slipway-" + platform.platformId() + "-postgres-sturdy-1";

        String startedBefore = docker.client().inspectContainerCmd(container).exec().getState().getStartedAt();
        docker.client().killContainerCmd(container).exec();
        // Not an await on "down": the watch looks every 5 s, so a kill just before a look is
        // mended before a poll can see it (CI saw that). A new start time proves the server came back.
        await().atMost(Duration.ofSeconds(30)).until(() -> !startedBefore.equals(
                docker.client().inspectContainerCmd(container).exec().getState().getStartedAt()));
        await().atMost(Duration.ofSeconds(30)).until(() -> state().equals("available"));
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> psql("select count(*) from items").equals("1234"));
        assertThat(api.get("/apps/sturdy/log-stream?lines=100").body())
                .contains("postgres-sturdy-1 had stopped (its server exited with code 137); started it again on its volume");

        docker.client().stopContainerCmd(container).exec();
        assertThat(state()).isEqualTo("down");
        sleep(Duration.ofSeconds(8)); // more than one look of the watch
        assertThat(state()).as("a clean stop is the operator's choice").isEqualTo("down");
        docker.client().startContainerCmd(container).exec();
    }

    private static String state() {
        return json(api.get("/addons/postgres-sturdy-1")).get("state").asText();
    }

    private static String psql(String sql) {
        var result = new AddonContainers(docker, platform.platformId()).exec(new AddonStore(db).find("postgres-sturdy-1")
                .orElseThrow(), List.of("psql", "-XAtqc", sql), Duration.ofSeconds(30));
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        return result.stdout().strip();
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
