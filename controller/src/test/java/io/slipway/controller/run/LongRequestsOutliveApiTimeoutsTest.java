package io.slipway.controller.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.controller.testing.Api;
import io.slipway.controller.testing.WsClient;
import io.slipway.controller.testing.GitPush;
import io.slipway.controller.testing.TestPlatform;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The API's timeouts (short here: 2 s to send a request, 3 s idle) cut clients that do not send a
 * request, never a request that is under way: a push whose build takes longer, and an attached run
 * that prints nothing for longer, both end as they would without them.
 */
class LongRequestsOutliveApiTimeoutsTest {
    static TestPlatform platform;
    static Api api;
    static GitPush buildpack;

    @BeforeAll
    static void start() {
        platform = TestPlatform.start(Map.of("SLIPWAY_API_PARSE_TIMEOUT", "2s", "SLIPWAY_API_IDLE_TIMEOUT", "3s"));
        api = Api.of(platform);
        buildpack = GitPush.of(Path.of("src/test/resources/fixtures/hello-buildpack"));
        assertThat(api.post("/apps", "{\"name\":\"shop\"}").status()).isEqualTo(201);
        assertThat(api.patch("/apps/shop/config-vars", "{\"BUILDPACK_URL\":\"file://" + buildpack.dir() + "\"}").status())
                .isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void aPushWhoseBuildOutlastsTheTimeoutsDeploysAndAQuietAttachedRunEndsWithItsExitCode() throws Exception {
        long started = System.nanoTime();
        GitPush.Result push = GitPush.init().write("hello.txt", "slow\n5\n").write("Procfile", "worker: sleep 600\n")
                .commit("a build of 5 s").push(platform.apiUrl(), "shop", platform.adminToken());
        assertThat(push.exit()).as(push.output()).isZero();
        assertThat(push.output()).contains("working (5)").contains("Released v1");
        assertThat((System.nanoTime() - started) / 1e9).isGreaterThan(5.0);

        WsClient run = WsClient.connect(platform.apiUrl(), "shop", platform.adminToken());
        run.request("{\"command\":\"sleep 6; echo still here\"}");
        run.awaitClose();
        assertThat(run.out()).isEqualTo("still here\n");
        assertThat(run.texts).last().isEqualTo("{\"exit\":0}");
    }
}
