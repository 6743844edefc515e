package io.slipway.controller.addons;

import static io.slipway.controller.testing.Api.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.controller.db.Database;
import io.slipway.controller.docker.DockerEngine;
import io.slipway.controller.testing.Api;
import io.slipway.controller.testing.TestPlatform;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * addons:destroy of a PostgreSQL add-on with data enough that its last backup takes seconds: the
 * request answers at once ({@code destroying}, naming the backup), the add-on refuses what would
 * race the destroy, and goes only once that backup is verified; a controller restarted meanwhile
 * leaves the add-on and its data in place, because the backup it waited for never finished, and
 * one that stopped after that backup was verified finishes the destroy when it starts.
 */
class AddonDestroyTest {
    static TestPlatform platform;
    static Api api;
    static DockerEngine docker;
    static Database db;

    @BeforeAll
    static void start() {
        platform = TestPlatform.start(Map.of("SLIPWAY_DYNO_GRACE", "2s"));
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
    void destroyAnswersAtOnceAndRemovesTheAddonOnlyOnceItsLastBackupIsVerified() {
        String addon = postgresWithData("vault");

        Api.Response destroying = api.delete("/addons/" + addon + "?confirm=vault");
        assertThat(destroying.status()).as(destroying.body()).isEqualTo(202);
        assertThat(json(destroying).get("state").asText()).isEqualTo("destroying");
        assertThat(json(destroying).get("message").asText())
                .isEqualTo("taking its last backup b001; " + addon + " is destroyed once that backup is verified");
        assertThat(backup("vault", "b001").get("status").asText()).isEqualTo("running");
        assertThat(json(api.get("/addons/" + addon)).get("state").asText()).isEqualTo("destroying");
        Api.Response again = api.delete("/addons/" + addon + "?confirm=vault");
        assertThat(again.status()).isEqualTo(409);
        assertThat(json(again).get("message").asText()).startsWith(addon + " is already being destroyed (taking its last backup b001");

        await().atMost(Duration.ofMinutes(2)).until(() -> api.get("/addons/" + addon).status() == 404);
        JsonNode last = backup("vault", "b001");
        assertThat(last.get("status").asText()).isEqualTo("done");
        assertThat(last.get("verified").asBoolean()).isTrue();
        assertThat(last.get("addon_destroyed").asBoolean()).isTrue();
        assertThat(last.get("finished_at").asText()).isNotEmpty();
        assertThat(api.get("/apps/vault/config-vars").body()).doesNotContain("DATABASE_URL");
        assertThat(api.get("/apps/vault/log-stream?lines=200").body())
                .contains(addon + " destroyed by ").contains("its last backup b001 (").contains("verified) is kept");
    }

    @Test
    void aControllerRestartedWhileTheLastBackupRunsLeavesTheAddonAndItsData() {
        String addon = postgresWithData("keep");
        assertThat(api.delete("/addons/" + addon + "?confirm=keep").status()).isEqualTo(202);
        platform.restartController();

        await().atMost(Duration.ofMinutes(1)).until(() -> json(api.get("/addons/" + addon)).get("state").asText()
                .equals("available"));
        assertThat(backup("keep", "b001").get("status").asText()).isEqualTo("failed");
        assertThat(backup("keep", "b001").get("failure").asText()).contains("the controller stopped while this backup ran");
        assertThat(psql(addon, "select count(*) from items")).isEqualTo("1500000");
        assertThat(api.get("/apps/keep/config-vars").body()).contains("DATABASE_URL");
    }

    @Test
    void aControllerThatStoppedAfterTheLastBackupWasVerifiedFinishesTheDestroyAtStart() throws Exception {
        assertThat(api.post("/apps", "{\"name\":\"finish\"}").status()).isEqualTo(201);
        assertThat(api.post("/apps/finish/addons", "{\"service\":\"postgres\"}").status()).isEqualTo(202);
        await().atMost(Duration.ofMinutes(2)).until(() -> json(api.get("/addons/postgres-finish-1")).get("state").asText()
                .equals("available"));
        assertThat(api.post("/apps/finish/backups", "{}").status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> backup("finish", "b001").get("status").asText().equals("done"));
        platform.stopController();
        // Where a controller killed between the last backup's verification and the removal left things.
        db.inTransaction(c -> {
            try (var st = c.createStatement()) {
                st.executeUpdate("update addon_backups set trigger = 'destroy' where addon_name = 'postgres-finish-1'");
                return st.executeUpdate("update addons set state = 'destroying', progress = 'taking its last backup b001' "
                        + "where name = 'postgres-finish-1'");
            }
        });
        platform.startController();

        assertThat(api.get("/addons/postgres-finish-1").status()).isEqualTo(404);
        assertThat(backup("finish", "b001").get("addon_destroyed").asBoolean()).isTrue();
        assertThat(api.get("/apps/finish/config-vars").body()).doesNotContain("DATABASE_URL");
        assertThat(docker.client().listContainersCmd().withShowAll(true)
                .withNameFilter(List.of("slipway-" + platform.platformId() + "-postgres-finish-1")).exec()).isEmpty();
    }

    /** An app with a PostgreSQL add-on holding about 100 MB of rows: pg_dump of it takes seconds. */
    private static String postgresWithData(String app) {
        assertThat(api.post("/apps", "{\"name\":\"" + app + "\"}").status()).isEqualTo(201);
        assertThat(api.post("/apps/" + app + "/addons", "{\"service\":\"postgres\"}").status()).isEqualTo(202);
        String addon = "postgres-" + app + "-1";
        await().atMost(Duration.ofMinutes(2)).until(() -> json(api.get("/addons/" + addon)).get("state").asText()
                .equals("available"));
        psql(addon, "create table items as select i, md5(i::text) || md5((i + 1)::text) as body "
                + "from generate_series(1, 1500000) i");
        return addon;
    }

    private static String psql(String addon, String sql) {
        var result = new AddonContainers(docker, platform.platformId()).exec(new AddonStore(db).find(addon).orElseThrow(),
                List.of("psql", "-XAtqc", sql), Duration.ofMinutes(2));
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        return result.stdout().strip();
    }

    private static JsonNode backup(String app, String id) {
        return json(api.get("/apps/" + app + "/backups/" + id));
    }
}
