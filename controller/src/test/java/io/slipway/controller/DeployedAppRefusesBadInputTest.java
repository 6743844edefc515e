package io.slipway.controller;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.controller.testing.Api;
import io.slipway.controller.testing.GitPush;
import io.slipway.controller.testing.TestPlatform;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bad input to an app that has been pushed (real git, the fixture buildpack, real containers): a
 * Procfile the database cannot store fails its build on the line at fault; fractional quantities
 * and one-off env that config:set would refuse are refused before anything runs.
 */
class DeployedAppRefusesBadInputTest {
    static TestPlatform platform;
    static Api api;
    static GitPush buildpack;

    @BeforeAll
    static void deployHello() {
        platform = TestPlatform.start();
        api = Api.of(platform);
        buildpack = GitPush.of(Path.of("src/test/resources/fixtures/hello-buildpack"));
        GitPush.Result push = app("hello").write("Procfile", "worker: sleep 600\n").commit("first")
                .push(platform.apiUrl(), "hello", platform.adminToken());
        assertThat(push.exit()).as(push.output()).isZero();
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void aProcfileWithANulFailsTheBuildNamingTheLineAndTheBuildEndsFailed() {
        GitPush.Result push = app("nul").write("Procfile", "web: python3 -m http.server $PORT\nworker: run\0fast\n")
                .commit("a NUL").push(platform.apiUrl(), "nul", platform.adminToken());

        assertThat(push.exit()).isNotZero();
        assertThat(push.output()).contains("Procfile line 2 contains a NUL character (U+0000) at character 12")
                .doesNotContain("PSQLException").doesNotContain("platform error");
        JsonNode build = Api.json(api.get("/apps/nul/builds")).get(0);
        assertThat(build.get("status").asText()).isEqualTo("failed");
        assertThat(build.get("failure").asText()).startsWith("Procfile line 2 contains a NUL character");
        assertThat(Api.json(api.get("/apps/nul/releases")).size()).isZero();
    }

    @Test
    void aProcfileThatIsNotUtf8FailsTheBuildNamingTheLine() throws IOException {
        GitPush app = app("latin");
        Files.write(app.dir().resolve("Procfile"), "web: echo ok\nworker: echo caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        GitPush.Result push = app.commit("latin-1").push(platform.apiUrl(), "latin", platform.adminToken());

        assertThat(push.exit()).isNotZero();
        assertThat(push.output()).contains("Procfile line 2 has bytes that are not UTF-8 at character 17");
        assertThat(Api.json(api.get("/apps/latin/builds")).get(0).get("status").asText()).isEqualTo("failed");
    }

    @Test
    void aFractionalQuantityIsRefusedAndTheFormationIsKept() {
        Api.Response r = api.patch("/apps/hello/formation", "{\"updates\":[{\"type\":\"worker\",\"quantity\":1.5}]}");
        assertThat(r.status()).as(r.body()).isEqualTo(422);
        assertThat(Api.json(r).get("message").asText()).contains("worker to 1.5").contains("whole numbers");
        JsonNode worker = null;
        for (JsonNode f : Api.json(api.get("/apps/hello/formation"))) {
            worker = f.get("type").asText().equals("worker") ? f : worker;
        }
        assertThat(worker.get("quantity").asInt()).isZero();
    }

    @Test
    void aOneOffsEnvFollowsTheRulesOfConfigSet() {
        String[][] refused = {
                {"{\"PORT\":\"1\"}", "set by the platform"},
                {"{\"1BAD\":\"x\"}", "shell identifier"},
                {"{\"BIG\":\"" + "x".repeat(40_000) + "\"}", "values are limited to 32 KiB"},
        };
        for (String[] c : refused) {
            Api.Response r = api.post("/apps/hello/dynos", "{\"command\":\"env\",\"env\":" + c[0] + "}");
            assertThat(r.status()).as(c[0].length() > 100 ? "BIG" : c[0]).isEqualTo(422);
            assertThat(Api.json(r).get("message").asText()).contains(c[1]);
        }
        assertThat(api.get("/apps/hello/dynos").body()).doesNotContain("run.");
    }

    private static GitPush app(String name) {
        assertThat(api.post("/apps", "{\"name\":\"" + name + "\"}").status()).isEqualTo(201);
        assertThat(api.patch("/apps/" + name + "/config-vars", "{\"BUILDPACK_URL\":\"file://" + buildpack.dir() + "\"}")
                .status()).isEqualTo(200);
        return GitPush.init().write("hello.txt", "hi\n");
    }
}
