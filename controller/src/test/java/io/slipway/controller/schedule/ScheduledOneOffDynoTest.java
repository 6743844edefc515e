package io.slipway.controller.schedule;

import static io.slipway.controller.testing.Api.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.api.ScheduleView;
import io.slipway.controller.app.App;
import io.slipway.controller.app.AppService;
import io.slipway.controller.db.Database;
import io.slipway.controller.db.DatabaseUrl;
import io.slipway.controller.docker.DockerEngine;
import io.slipway.controller.docker.LogRotation;
import io.slipway.controller.docker.Networks;
import io.slipway.controller.logs.LogSink;
import io.slipway.controller.release.ReleaseService;
import io.slipway.controller.run.OneOffDynos;
import io.slipway.controller.testing.Api;
import io.slipway.controller.testing.GitPush;
import io.slipway.controller.testing.TestPlatform;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * End to end: a deployed app, a schedule, and its firing run as a real one-off dyno whose exit code
 * and output show in the history the API answers. A second scheduler in the test (clustered with
 * the controller's on the same database) adds the schedule with a one-shot seconds-level cron, so
 * the test does not wait for a minute boundary; whichever of the two fires it runs a real dyno.
 */
class ScheduledOneOffDynoTest {
    static TestPlatform platform;
    static Api api;
    static Database db;
    static DockerEngine docker;
    static ScheduleService schedules;

    @BeforeAll
    static void deploy() {
        platform = TestPlatform.start(Map.of("SLIPWAY_DYNO_GRACE", "3s"));
        api = Api.of(platform);
        GitPush buildpack = GitPush.of(Path.of("src/test/resources/fixtures/hello-buildpack"));
        assertThat(api.post("/apps", "{\"name\":\"shop\"}").status()).isEqualTo(201);
        api.patch("/apps/shop/config-vars", "{\"BUILDPACK_URL\":\"file://" + buildpack.dir() + "\",\"GREETING\":\"hi\"}");
        GitPush app = GitPush.init().write("hello.txt", "hello world\n")
                .write("Procfile", "web: python3 -m http.server $PORT\n").commit("first");
        GitPush.Result push = app.push(platform.apiUrl(), "shop", platform.adminToken());
        assertThat(push.exit()).as(push.output()).isZero();

        db = Database.open(DatabaseUrl.parse(platform.env().get("DATABASE_URL")), Duration.ofSeconds(3), Duration.ofSeconds(10));
        docker = DockerEngine.connect();
        OneOffDynos runs = new OneOffDynos(db, docker, new ReleaseService(db), LogSink.NULL, Clock.systemUTC(),
                platform.platformId(), Duration.ofSeconds(3), Duration.ofMinutes(2),
                new Networks(docker, platform.platformId()), LogRotation.DEFAULT);
        schedules = new ScheduleService(db, runs, LogSink.NULL, Clock.systemUTC(), SchedulerFiringTest.fast(100));
        schedules.start();
    }

    @AfterAll
    static void stop() {
        schedules.close();
        db.close();
        docker.close();
        platform.close();
    }

    @Test
    void aFiringRunsAOneOffDynoAndItsHistoryShowsTheExitCodeAndOutput() {
        App shop = new AppService(db).get("shop");
        ZonedDateTime at = ZonedDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).plusSeconds(3);
        String once = String.format("%d %d %d %d %d ? %d", at.getSecond(), at.getMinute(), at.getHour(),
                at.getDayOfMonth(), at.getMonthValue(), at.getYear());

        ScheduleView added = schedules.add(shop, Cron.quartz(once), "echo scheduled $GREETING from $DYNO; exit 3",
                ZoneId.of("UTC"), Overlap.SKIP, "admin");

        String history = "/apps/shop/schedules/" + added.id() + "/history";
        await().atMost(Duration.ofSeconds(90)).until(() -> {
            JsonNode runs = json(api.get(history));
            return runs.size() == 1 && !runs.get(0).get("status").asText().equals("running");
        });
        JsonNode run = json(api.get(history)).get(0);
        assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("failed");
        assertThat(run.get("exit_code").asInt()).isEqualTo(3);
        assertThat(run.get("dyno").asText()).startsWith("run.");
        assertThat(run.get("output").asText()).isEqualTo("scheduled hi from " + run.get("dyno").asText());
        assertThat(run.get("command").asText()).isEqualTo("echo scheduled $GREETING from $DYNO; exit 3");
        assertThat(json(api.get("/apps/shop/schedule-runs")).get(0).get("schedule_id").asText()).isEqualTo(added.id());
    }
}
