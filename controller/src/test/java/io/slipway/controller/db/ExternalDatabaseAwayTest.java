package io.slipway.controller.db;

import static io.slipway.controller.testing.Api.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slipway.controller.testing.Api;
import io.slipway.controller.testing.TestPlatform;
import java.sql.DriverManager;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * An external database ({@code DATABASE_URL}) is its operator's to run: while it refuses the
 * controller, the API answers 503 (without claiming a restart it knows nothing of), and it answers
 * 200 again once the database takes connections, with no controller restart.
 */
class ExternalDatabaseAwayTest {

    @Test
    void whileTheExternalDatabaseRefusesConnectionsTheApiAnswers503AndRecoversByItself() throws Exception {
        TestPlatform platform = TestPlatform.start();
        DatabaseUrl url = platform.database();
        String name = url.jdbcUrl().substring(url.jdbcUrl().lastIndexOf('/') + 1);
        try {
            Api api = Api.of(platform);
            assertThat(api.post("/apps", "{\"name\":\"away\"}").status()).isEqualTo(201);
            admin(url, "alter database " + name + " with allow_connections false");
            admin(url, "select pg_terminate_backend(pid) from pg_stat_activity where datname = '" + name + "'");

            Api.Response away = api.get("/apps/away");
            assertThat(away.status()).isEqualTo(503);
            assertThat(json(away).get("message").asText())
                    .isEqualTo("the platform database is unavailable right now; try again shortly");

            admin(url, "alter database " + name + " with allow_connections true");
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(api.get("/apps/away").status()).isEqualTo(200));
            assertThat(api.withToken(null).get("/healthz").status()).isEqualTo(200);
        } finally {
            admin(url, "alter database " + name + " with allow_connections true");
            platform.close();
        }
    }

    /** As the server's administrator, from its maintenance database (the platform's own is refusing). */
    private static void admin(DatabaseUrl url, String sql) throws Exception {
        String postgres = url.jdbcUrl().substring(0, url.jdbcUrl().lastIndexOf('/')) + "/postgres";
        try (var c = DriverManager.getConnection(postgres, url.user(), url.password()); var st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
