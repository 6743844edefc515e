package io.slipway.controller.leader;

import static io.slipway.controller.testing.Api.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slipway.controller.testing.Api;
import io.slipway.controller.testing.GitPush;
import io.slipway.controller.testing.RoutableDynos;
import io.slipway.controller.testing.SharedPostgres;
import io.slipway.controller.testing.TestPlatform;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A leader whose database session ends (the server dropped it) stops leading, takes the lead again
 * on a new session when it can, and its loops, stopped and started again, carry out a scale.
 */
class LostSessionTest {
    static final GitPush buildpack = GitPush.of(Path.of("src/test/resources/fixtures/hello-buildpack"));
    static final String LEADERSHIP_SESSIONS = "select count(*) from pg_stat_activity "
            + "where datname = current_database() and application_name like 'slipway-controller %' and pid <> ?";

    @Test
    void aLeaderWhoseSessionIsDroppedLeadsAgainOnANewOneAndItsLoopsWork() {
        try (TestPlatform platform = TestPlatform.start()) {
            Api api = Api.of(platform);
            assertThat(api.post("/apps", "{\"name\":\"relead\"}").status()).isEqualTo(201);
            api.patch("/apps/relead/config-vars", "{\"BUILDPACK_URL\":\"file://" + buildpack.dir() + "\"}");
            GitPush repo = GitPush.init().write("hello.txt", "hi\n")
                    .write("Procfile", "web: python3 -m http.server $PORT\n").commit("v1");
            assertThat(repo.push(platform.apiUrl(), "relead", platform.adminToken()).output()).contains("Released v1");
            long session = SecondController.count(platform, "select pid from pg_stat_activity where datname = current_database()"
                    + " and application_name like 'slipway-controller %'");

            String database = platform.database().jdbcUrl().substring(platform.database().jdbcUrl().lastIndexOf('/') + 1);
            SharedPostgres.get().execute("select pg_terminate_backend(pid) from pg_stat_activity where datname = '"
                    + database + "' and application_name like 'slipway-controller %'");

            await().atMost(Duration.ofSeconds(15)).until(() -> SecondController.count(platform, LEADERSHIP_SESSIONS, (int) session) == 1
                    && json(api.get("/healthz")).get("leads").asBoolean());
            assertThat(api.patch("/apps/relead/formation", "{\"updates\":[{\"type\":\"web\",\"quantity\":2}]}").status())
                    .isEqualTo(200);
            await().atMost(Duration.ofSeconds(60)).until(() -> RoutableDynos.ports(platform, "relead").size() == 2);
        }
    }
}
