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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every sample app in deploy-examples/ pushed with the real git client, built by the built-in
 * buildpack that detects it, released, and answering HTTP from its web dyno with its config.
 */
class DeployExamplesTest {
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

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "python,   Python",
            "nodejs,   Node.js",
            "java,     Java",
            "static,   Static",
            "procfile, Procfile",
    })
    void theExampleDeploysWithItsBuildpackAndAnswers(String example, String detected) throws Exception {
        String app = "ex-" + example;
        assertThat(api.post("/apps", "{\"name\":\"" + app + "\"}").status()).isEqualTo(201);
        api.patch("/apps/" + app + "/config-vars", "{\"GREETING\":\"Ahoy\"}");

        GitPush.Result push = GitPush.of(Path.of("..", "deploy-examples", example))
                .push(platform.apiUrl(), app, platform.adminToken());

        assertThat(push.exit()).as(push.output()).isZero();
        assertThat(push.output()).containsIgnoringCase("-----> " + detected)
                .contains("Released v1").contains("Starting web.1 ... up");
        List<Integer> ports = RoutableDynos.ports(platform, app);
        assertThat(ports).hasSize(1);
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports.get(0) + "/"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        if (!example.equals("static")) {
            assertThat(answer.body()).contains("Ahoy");
        }
        api.delete("/apps/" + app);
    }
}
