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
 * acknowledged across controller restarts, and rides out the database being shut down without a restart
 * (a killed one it starts again: {@code db.PostmasterKilledTest}).
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

    /** A restarted router connects in a cold JVM: 4096 SCRAM iterations cost it some 80-100 ms there. */
    @Test
    void thePasswordFileStillOpensTheDatabaseWhoseVerifierHasFewIterations() throws Exception {
        var url = EmbeddedPostgres.underHome(platform.home()).url();
        try (var c = java.sql.DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
             var rs = c.createStatement().executeQuery("select rolpassword from pg_authid where rolname = current_user")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).startsWith("SCRAM-SHA-256$" + EmbeddedPostgres.SCRAM_ITERATIONS + ":");
        }
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
    void aDownDatabaseIsA503AndTheControllerRecoversWithoutARestart() {
        EmbeddedPostgres db = EmbeddedPostgres.underHome(platform.home());
        assertThat(api.post("/apps", "{\"name\":\"outage\"}").status()).isEqualTo(201);
        db.stop();
        try {
            Api.Response health = api.withToken(null).get("/healthz");
            assertThat(health.status()).isEqualTo(503);
            assertThat(health.body()).contains("\"database\":\"unavailable\"");
            Api.Response list = api.get("/apps/outage");
            assertThat(list.status()).isEqualTo(503);
            assertThat(list.body()).contains("database_unavailable").contains("shut down").contains("try again");
            // Shut down, not killed: someone meant it, and the controller does not fight them.
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> !db.isRunning());
        } finally {
            db.ensureRunning();
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(api.get("/apps/outage").status()).isEqualTo(200));
        assertThat(api.withToken(null).get("/healthz").status()).isEqualTo(200);
        api.delete("/apps/outage");
    }
}
