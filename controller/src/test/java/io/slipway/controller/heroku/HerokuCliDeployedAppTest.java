package io.slipway.controller.heroku;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.controller.testing.Api;
import io.slipway.controller.testing.GitPush;
import io.slipway.controller.testing.HerokuCli;
import io.slipway.controller.testing.TestPlatform;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The unmodified Heroku CLI on a deployed app (a real push, real dynos): {@code ps},
 * {@code releases:info}, {@code domains}, {@code domains:add}, {@code logs}.
 */
class HerokuCliDeployedAppTest {
    private static TestPlatform platform;
    private static Api api;
    private static HerokuCli heroku;

    @BeforeAll
    static void deploy() {
        platform = TestPlatform.start();
        api = Api.of(platform);
        heroku = HerokuCli.of(platform);
        GitPush buildpack = GitPush.of(Path.of("src/test/resources/fixtures/hello-buildpack"));
        assertThat(api.post("/apps", "{\"name\":\"shop\"}").status()).isEqualTo(201);
        api.patch("/apps/shop/config-vars", "{\"BUILDPACK_URL\":\"file://" + buildpack.dir() + "\",\"GREETING\":\"hi\"}");
        GitPush app = GitPush.init().write("hello.txt", "hello world\n")
                .write("Procfile", "web: python3 -m http.server $PORT\n").commit("first");
        GitPush.Result push = app.push(platform.apiUrl(), "shop", platform.adminToken());
        assertThat(push.exit()).as(push.output()).isZero();
        assertThat(push.output()).contains("Starting web.1 ... up");
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void psShowsTheWebDynoUpForSomeTime() {
        var r = heroku.run("ps", "-a", "shop");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.stdout()).contains("=== web (standard): python3 -m http.server $PORT (1)")
                .containsPattern("web\\.1: up \\d{4}/\\d{2}/\\d{2} \\d{2}:\\d{2}:\\d{2} [+-]\\d{4} \\(~ \\d+s ago\\)")
                .doesNotContain("NaN");
    }
}
