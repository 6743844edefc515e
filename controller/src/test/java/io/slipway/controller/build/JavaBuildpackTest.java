package io.slipway.controller.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.controller.testing.Api;
import io.slipway.controller.testing.GitPush;
import io.slipway.controller.testing.RoutableDynos;
import io.slipway.controller.testing.TestPlatform;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Java buildpack keeps Heroku's habits: an app started from {@code target/classes} (no
 * Main-Class, as heroku/java-getting-started-style Procfiles do) deploys without a warning, and
 * its dynos get {@code JDBC_DATABASE_URL} and friends derived from {@code DATABASE_URL}.
 */
class JavaBuildpackTest {
    static TestPlatform platform;
    static Api api;
    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    @BeforeAll
    static void start() {
        platform = TestPlatform.start();
        api = Api.of(platform);
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void aProcfileRunningFromTargetClassesDeploysAndItsDynoGetsJdbcSettingsFromDatabaseUrl() throws Exception {
        assertThat(api.post("/apps", "{\"name\":\"jv\"}").status()).isEqualTo(201);
        assertThat(api.patch("/apps/jv/config-vars",
                "{\"DATABASE_URL\":\"postgres://shop%40team:s3cr%3At@db.internal:6543/shop?sslmode=disable\"}").status())
                .isEqualTo(200);

        GitPush.Result push = GitPush.of(Path.of("src/test/resources/fixtures/java-classpath-app"))
                .push(platform.apiUrl(), "jv", platform.adminToken());

        assertThat(push.exit()).as(push.output()).isZero();
        assertThat(push.output()).contains("-----> Java app detected")
                .doesNotContain("Main-Class")
                .contains("Starting web.1 ... up");
        List<Integer> ports = RoutableDynos.ports(platform, "jv");
        assertThat(ports).hasSize(1);
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports.get(0) + "/"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.body())
                .contains("JDBC_DATABASE_URL=jdbc:postgresql://db.internal:6543/shop?user=shop%40team&password=s3cr%3At&sslmode=disable\n")
                .contains("JDBC_DATABASE_USERNAME=shop@team\n")
                .contains("JDBC_DATABASE_PASSWORD=s3cr:t\n")
                .contains("SPRING_DATASOURCE_URL=jdbc:postgresql://db.internal:6543/shop?");
        api.delete("/apps/jv");
    }
}
