package io.slipway.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slipway.controller.db.EmbeddedPostgres;
import io.slipway.controller.testing.Api;
import io.slipway.controller.testing.TestPlatform;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With no DATABASE_URL the controller runs its own PostgreSQL under SLIPWAY_HOME: it keeps what was
 * acknowledged across controller restarts, and starts it again when it stops under a running controller.
 */
class EmbeddedDatabaseTest {
    static TestPlatform platform;
    static Api api;

    @BeforeAll
    static void start() {
        platform = TestPlatform.startEmbedded();
        api = Api.of(platform);
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void stateAndTokenLiveUnderSlipwayHome() throws Exception {
        assertThat(platform.home().resolve("postgres/data/PG_VERSION")).exists();
        var tokenFile = platform.home().resolve("admin-token");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile))).isEqualTo("rw-------");
        assertThat(api.get("/account").status()).isEqualTo(200);
    }

    @Test
    void aRestartedControllerAdoptsTheRunningDatabaseAndLosesNothing() {
        assertThat(api.post("/apps", "{\"name\":\"kept\"}").status()).isEqualTo(201);
        assertThat(api.patch("/apps/kept/config-vars", "{\"PEM\":\"line1\\nline2\\n\"}").status()).isEqualTo(200);
        String token = platform.adminToken();

        platform.restartController();

        assertThat(platform.adminToken()).isEqualTo(token);
        assertThat(api.get("/apps/kept/config-vars").body()).isEqualTo("{\"PEM\":\"line1\\nline2\\n\"}");
        api.delete("/apps/kept");
    }

    @Test
    void aStoppedDatabaseIsStartedAgainAndMeanwhileTheApiSaysItIsRestarting() {
        EmbeddedPostgres db = EmbeddedPostgres.underHome(platform.home());
        assertThat(api.post("/apps", "{\"name\":\"outage\"}").status()).isEqualTo(201);
        db.stop();
        Api.Response meanwhile = api.get("/apps/outage");
        if (meanwhile.status() != 200) { // the restart may already be done
            assertThat(meanwhile.status()).isEqualTo(503);
            assertThat(meanwhile.body()).contains("database_unavailable").contains("restarting").contains("try again");
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(api.get("/apps/outage").status()).isEqualTo(200));
        assertThat(db.isRunning()).isTrue();
        assertThat(api.withToken(null).get("/healthz").status()).isEqualTo(200);
        api.delete("/apps/outage");
    }
}
