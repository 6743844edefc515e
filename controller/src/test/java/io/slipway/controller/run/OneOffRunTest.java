package io.slipway.controller.run;

import static io.slipway.controller.testing.Api.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slipway.controller.docker.DockerEngine;
import io.slipway.controller.docker.Labels;
import io.slipway.controller.testing.Api;
import io.slipway.controller.testing.WsClient;
import io.slipway.controller.testing.GitPush;
import io.slipway.controller.testing.TestPlatform;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** slipway run's server side over its real WebSocket, and the release phase, on real containers. */
class OneOffRunTest {
    static TestPlatform platform;
    static Api api;
    static DockerEngine docker;
    static GitPush buildpack;

    @BeforeAll
    static void deploy() {
        platform = TestPlatform.start(Map.of("SLIPWAY_DYNO_GRACE", "2s", "SLIPWAY_RUN_MAX_TIME", "6s"));
        api = Api.of(platform);
        docker = DockerEngine.connect();
        buildpack = GitPush.of(Path.of("src/test/resources/fixtures/hello-buildpack"));
        app("shop");
        GitPush.Result push = GitPush.init().write("hello.txt", "hello\n")
                .write("Procfile", "web: python3 -m http.server $PORT\n").commit("first")
                .push(platform.apiUrl(), "shop", platform.adminToken());
        assertThat(push.exit()).as(push.output()).isZero();
    }

    @AfterAll
    static void stop() {
        platform.close();
        docker.close();
    }

    static void app(String name) {
        assertThat(api.post("/apps", "{\"name\":\"" + name + "\"}").status()).isEqualTo(201);
        api.patch("/apps/" + name + "/config-vars", "{\"BUILDPACK_URL\":\"file://" + buildpack.dir() + "\",\"GREETING\":\"hi\"}");
    }

    @Test
    void anAttachedRunStreamsOutputAndEndsWithTheExitCode() throws Exception {
        WsClient run = WsClient.connect(platform.apiUrl(), "shop", platform.adminToken());
        run.request("{\"command\":\"echo $GREETING from $DYNO; cat compiled.txt; echo oops >&2; exit 3\"}");
        run.awaitClose();

        assertThat(run.texts.get(0)).matches("\\{\"dyno\":\"run\\.\\d+\"}");
        assertThat(run.out()).contains("hi from run.").contains("HELLO");
        assertThat(run.stderr.toString()).isEqualTo("oops\n");
        assertThat(run.texts).last().isEqualTo("{\"exit\":3}");
    }

    @Test
    void stdinReachesTheCommand() throws Exception {
        WsClient run = WsClient.connect(platform.apiUrl(), "shop", platform.adminToken());
        run.request("{\"command\":\"tr a-z A-Z\"}");
        await().atMost(Duration.ofSeconds(20)).until(() -> !run.texts.isEmpty());
        run.stdin("abc\n");
        run.stdinEof();
        run.awaitClose();
        assertThat(run.out()).isEqualTo("ABC\n");
        assertThat(run.texts).last().isEqualTo("{\"exit\":0}");
    }

    @Test
    void aTtyRunGetsATerminal() throws Exception {
        WsClient run = WsClient.connect(platform.apiUrl(), "shop", platform.adminToken());
        run.request("{\"command\":\"tty; echo cols=$COLUMNS\",\"tty\":true,\"columns\":120,\"lines\":40}");
        run.awaitClose();
        assertThat(run.out()).contains("/dev/pts/").contains("cols=120");
    }

    @Test
    void aDisconnectingClientStopsItsDynoEvenOneThatIgnoresSigterm() throws Exception {
        WsClient run = WsClient.connect(platform.apiUrl(), "shop", platform.adminToken());
        run.request("{\"command\":\"trap '' TERM; echo started; sleep 100 & wait; sleep 100\"}");
        await().atMost(Duration.ofSeconds(20)).until(() -> run.out().contains("started"));
        assertThat(oneOffContainers("shop")).isEqualTo(1);

        run.ws.abort();

        await().atMost(Duration.ofSeconds(15)).until(() -> oneOffContainers("shop") == 0);
    }

    @Test
    void aRunGetsTheMemoryOfTheSizeAskedForAndAnUnknownSizeIsRefused() throws Exception {
        WsClient run = WsClient.connect(platform.apiUrl(), "shop", platform.adminToken());
        // cgroup v2's file, or v1's
        run.request("{\"command\":\"cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes\","
                + "\"size\":\"performance\"}");
        run.awaitClose();
        assertThat(run.out().strip()).isEqualTo(Long.toString(2048L << 20));

        Api.Response unknown = api.post("/apps/shop/dynos", "{\"command\":\"true\",\"size\":\"huge\"}");
        assertThat(unknown.status()).isEqualTo(422);
        assertThat(json(unknown).get("message").asText()).contains("unknown dyno size 'huge'");
    }

    @Test
    void aRunPastTheMaximumTimeIsStopped() throws Exception {
        WsClient run = WsClient.connect(platform.apiUrl(), "shop", platform.adminToken());
        run.request("{\"command\":\"sleep 60\"}");
        run.awaitClose();
        assertThat(run.texts).last().isEqualTo("{\"exit\":137}");
    }

    @Test
    void aDetachedRunShowsInPsWhileItRunsAndIsRemovedAfter() {
        Api.Response started = api.post("/apps/shop/dynos", "{\"command\":\"sleep 3\"}");
        assertThat(started.status()).as(started.body()).isEqualTo(201);
        String name = json(started).get("name").asText();
        assertThat(name).startsWith("run.");
        assertThat(api.get("/apps/shop/dynos").body()).contains("\"name\":\"" + name + "\"");
        await().atMost(Duration.ofSeconds(20)).until(() -> oneOffContainers("shop") == 0);
        assertThat(api.get("/apps/shop/dynos").body()).doesNotContain(name);
    }

    @Test
    void runOnAnAppWithNoReleaseOrWithoutACommandIsRefused() throws Exception {
        app("empty");
        WsClient run = WsClient.connect(platform.apiUrl(), "empty", platform.adminToken());
        run.request("{\"command\":\"true\"}");
        run.awaitClose();
        assertThat(run.texts.get(0)).contains("has no release yet");

        Api.Response blank = api.post("/apps/shop/dynos", "{\"command\":\"  \"}");
        assertThat(blank.status()).isEqualTo(422);
        assertThat(json(blank).get("message").asText()).contains("no command given");
        api.delete("/apps/empty");
    }

    @Test
    void theReleasePhaseRunsBeforeTheReleaseGoesLiveAndAFailureKeepsTheOldOne() {
        app("phased");
        GitPush good = GitPush.init().write("hello.txt", "one\n")
                .write("Procfile", "web: python3 -m http.server $PORT\nrelease: echo migrating for $SLIPWAY_RELEASE\n")
                .commit("with a release phase");
        GitPush.Result ok = good.push(platform.apiUrl(), "phased", platform.adminToken());
        assertThat(ok.exit()).as(ok.output()).isZero();
        assertThat(ok.output()).contains("Running release command").contains("migrating for v1")
                .contains("Released v1").contains("Starting web.1 ... up");

        GitPush bad = GitPush.init().write("hello.txt", "two\n")
                .write("Procfile", "web: python3 -m http.server $PORT\nrelease: echo nope; exit 4\n").commit("failing phase");
        GitPush.Result failed = bad.push(platform.apiUrl(), "phased", platform.adminToken(), "+main:main");

        assertThat(failed.exit()).isNotZero();
        assertThat(failed.output()).contains("nope")
                .contains("Deploy of v2 failed: the release command `echo nope; exit 4` exited with code 4")
                .contains("v1 keeps serving.").doesNotContain("Released v2");
        var releases = json(api.get("/apps/phased/releases"));
        assertThat(releases.get(0).get("status").asText()).isEqualTo("failed");
        assertThat(json(api.get("/apps/phased/releases/v1")).get("current").asBoolean()).isTrue();
        api.delete("/apps/phased");
    }

    private static int oneOffContainers(String app) {
        return docker.client().listContainersCmd().withShowAll(true).withLabelFilter(Map.of(
                Labels.PLATFORM, platform.platformId(), Labels.APP, app,
                Labels.ROLE, Labels.ROLE_RUN)).exec().size();
    }
}
