package io.slipway.controller.deploy;

import static io.slipway.controller.testing.Api.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The one deploy path, end to end with real pushes, real containers and a real database: new
 * dynos that crash, exit 127, never bind or bind late, through a push, a config change and a
 * rollback alike, and what the pusher is told each time.
 */
class DeployPathTest {
    static final Duration BOOT_TIMEOUT = Duration.ofSeconds(8);
    static TestPlatform platform;
    static Api api;
    static GitPush buildpack;
    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    static final String SERVE = "python3 -m http.server $PORT";

    @BeforeAll
    static void start() {
        platform = TestPlatform.start(Map.of("SLIPWAY_BOOT_TIMEOUT", BOOT_TIMEOUT.toSeconds() + "s"));
        api = Api.of(platform);
        buildpack = GitPush.of(Path.of("src/test/resources/fixtures/hello-buildpack"));
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void aFirstDeployWhoseWebCommandIsNotFoundFailsWithinSecondsOfTheCrashWithItsOutput() {
        app("crash127");
        GitPush repo = GitPush.init().write("hello.txt", "hi\n")
                .write("Procfile", "web: echo \"crashing at $(date +%s%3N)\"; no-such-server --port $PORT\n").commit("typo");

        GitPush.Result push = repo.push(platform.apiUrl(), "crash127", platform.adminToken());
        long ended = System.currentTimeMillis();

        assertThat(push.exit()).isNotZero();
        assertThat(push.output())
                .contains("Deploy of v1 failed: web.1 exited with code 127 while v1 was booting; its last output:")
                .contains("no-such-server: command not found")
                .contains("Nothing was serving crash127, and nothing is now.")
                .contains("[remote rejected] main -> main (deploy failed)")
                .doesNotContain("Released v1").doesNotContain("deployed to Slipway");
        long crashedAt = crashTime(push.output());
        long toFailure = ended - crashedAt;
        System.out.printf("figure: crash at boot to the push's failure line: %d ms%n", toFailure);
        assertThat(toFailure).as("from the crash to the push's end").isLessThan(5_000);

        JsonNode v1 = json(api.get("/apps/crash127/releases/v1"));
        assertThat(v1.get("status").asText()).isEqualTo("failed");
        assertThat(v1.get("state").asText()).isEqualTo("failed");
        assertThat(v1.get("failure").asText()).contains("command not found");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(json(api.get("/apps/crash127/dynos")).size()).as("the failed dynos are gone").isZero());
        api.delete("/apps/crash127");
    }

    @Test
    void aSecondDeployThatCrashesLeavesTheFirstServingAndOneSetOfDynos() throws Exception {
        app("second");
        GitPush repo = GitPush.init().write("hello.txt", "hi\n").write("Procfile", "web: " + SERVE + "\n").commit("good");
        assertThat(repo.push(platform.apiUrl(), "second", platform.adminToken()).output()).contains("Released v1");

        repo.write("Procfile", "web: echo 'Exception in thread \"main\" java.lang.ClassNotFoundException: Main'; exit 1\n")
                .commit("broken");
        GitPush.Result push = repo.push(platform.apiUrl(), "second", platform.adminToken());

        assertThat(push.exit()).isNotZero();
        assertThat(push.output()).contains("Deploy of v2 failed: web.1 exited with code 1 while v2 was booting")
                .contains("java.lang.ClassNotFoundException: Main").contains("v1 keeps serving.");
        assertThat(json(api.get("/apps/second/releases/v1")).get("current").asBoolean()).isTrue();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode dynos = json(api.get("/apps/second/dynos"));
            assertThat(dynos.size()).as("no second web.1 crash-looping beside the live one").isEqualTo(1);
            assertThat(dynos.get(0).get("release").asText()).isEqualTo("v1");
        });
        assertThat(get(RoutableDynos.ports(platform, "second").get(0))).isEqualTo(200);
        api.delete("/apps/second");
    }

    @Test
    void aWebProcessThatNeverBindsFailsAfterTheBootTimeoutAndSaysWhatItWaitedFor() {
        app("nobind");
        GitPush repo = GitPush.init().write("hello.txt", "hi\n")
                .write("Procfile", "web: echo listening on the wrong port; sleep 600\n").commit("no bind");

        GitPush.Result push = repo.push(platform.apiUrl(), "nobind", platform.adminToken());

        assertThat(push.exit()).isNotZero();
        assertThat(push.output()).contains("(waiting for web.1 to accept connections on $PORT")
                .contains("Deploy of v1 failed: web.1 did not accept connections on $PORT within "
                        + BOOT_TIMEOUT.toSeconds() + " s; its last output:")
                .contains("listening on the wrong port");
        api.delete("/apps/nobind");
    }

    @Test
    void aWebProcessThatBindsLateGoesLive() {
        app("late");
        GitPush repo = GitPush.init().write("hello.txt", "hi\n")
                .write("Procfile", "web: sleep 4; " + SERVE + "\n").commit("slow start");

        GitPush.Result push = repo.push(platform.apiUrl(), "late", platform.adminToken());

        assertThat(push.exit()).as(push.output()).isZero();
        assertThat(push.output()).contains("Starting web.1 ... up").contains("Released v1");
        assertThat(push.output().indexOf("Starting web.1 ... up")).isLessThan(push.output().indexOf("Released v1"));
        api.delete("/apps/late");
    }

    @Test
    void aWorkerOnlyAppEndsItsPushWithoutAUrlAndSaysHowToRunAWorker() {
        app("workeronly");
        api.patch("/apps/workeronly/config-vars", "{\"BUILDPACK_URL\":\"procfile\"}"); // declares no default web
        GitPush repo = GitPush.init().write("hello.txt", "hi\n").write("Procfile", "worker: sleep 600\n").commit("worker");

        GitPush.Result push = repo.push(platform.apiUrl(), "workeronly", platform.adminToken());

        assertThat(push.exit()).as(push.output()).isZero();
        assertThat(push.output()).contains("Released v1")
                .contains("No web process, so nothing is routed to workeronly")
                .contains("'slipway ps:scale worker=1' runs one")
                .doesNotContain("deployed to Slipway");
        api.delete("/apps/workeronly");
    }

    @Test
    void aConfigChangeThatMakesTheWebProcessCrashFailsItsReleaseAndTheOldOneKeepsServing() throws Exception {
        app("configcrash");
        GitPush repo = GitPush.init().write("hello.txt", "hi\n")
                .write("Procfile", "web: if [ \"$MODE\" = broken ]; then echo \"bad MODE\"; exit 9; fi; " + SERVE + "\n")
                .commit("reads MODE");
        assertThat(repo.push(platform.apiUrl(), "configcrash", platform.adminToken()).output()).contains("Released v1");

        assertThat(api.patch("/apps/configcrash/config-vars", "{\"MODE\":\"broken\"}").status()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(json(api.get("/apps/configcrash/releases/v2")).get("state").asText()).isEqualTo("failed"));
        JsonNode v2 = json(api.get("/apps/configcrash/releases/v2"));
        assertThat(v2.get("failure").asText()).startsWith("web.1 exited with code 9 while v2 was booting").contains("bad MODE");
        assertThat(json(api.get("/apps/configcrash/releases/v1")).get("current").asBoolean()).isTrue();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(get(RoutableDynos.ports(platform, "configcrash").get(0))).isEqualTo(200));
        api.delete("/apps/configcrash");
    }

    @Test
    void theReleasePhaseRunsForAPushAConfigChangeAndARollbackAlike() {
        app("phases");
        GitPush repo = GitPush.init().write("hello.txt", "hi\n")
                .write("Procfile", "web: " + SERVE + "\nrelease: echo \"release phase of $SLIPWAY_RELEASE\"\n").commit("phased");
        GitPush.Result push = repo.push(platform.apiUrl(), "phases", platform.adminToken());
        assertThat(push.output()).contains("Running release command").contains("release phase of v1").contains("Released v1");

        api.patch("/apps/phases/config-vars", "{\"MODE\":\"two\"}");
        awaitState("phases", 2, "live");
        assertThat(api.post("/apps/phases/releases", "{\"release\":\"v1\"}").status()).isEqualTo(201);
        awaitState("phases", 3, "live");

        String log = api.get("/apps/phases/log-stream?lines=500").body();
        assertThat(log).contains("app[release.2]: release phase of v2").contains("app[release.3]: release phase of v3");
        api.delete("/apps/phases");
    }

    @Test
    void aFailingReleaseCommandOnAConfigChangeFailsThatReleaseWithItsOutput() {
        app("phasefail");
        GitPush repo = GitPush.init().write("hello.txt", "hi\n")
                .write("Procfile", "web: " + SERVE + "\nrelease: if [ -n \"$BREAK\" ]; then echo \"migration 7 failed\"; exit 4; fi\n")
                .commit("phased");
        assertThat(repo.push(platform.apiUrl(), "phasefail", platform.adminToken()).output()).contains("Released v1");

        api.patch("/apps/phasefail/config-vars", "{\"BREAK\":\"yes\"}");

        awaitState("phasefail", 2, "failed");
        assertThat(json(api.get("/apps/phasefail/releases/v2")).get("failure").asText())
                .startsWith("the release command `if [ -n \"$BREAK\" ]").contains("exited with code 4")
                .contains("migration 7 failed");
        assertThat(json(api.get("/apps/phasefail/releases/v1")).get("current").asBoolean()).isTrue();
        api.delete("/apps/phasefail");
    }

    static void awaitState(String app, int version, String state) {
        await().atMost(Duration.ofSeconds(40)).untilAsserted(() ->
                assertThat(json(api.get("/apps/" + app + "/releases/v" + version)).get("state").asText()).isEqualTo(state));
    }

    static void app(String name) {
        assertThat(api.post("/apps", "{\"name\":\"" + name + "\"}").status()).isEqualTo(201);
        api.patch("/apps/" + name + "/config-vars", "{\"BUILDPACK_URL\":\"file://" + buildpack.dir() + "\"}");
    }

    static int get(int port) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static long crashTime(String output) {
        Matcher m = Pattern.compile("crashing at (\\d+)").matcher(output);
        List<Long> times = new ArrayList<>();
        while (m.find()) {
            times.add(Long.parseLong(m.group(1)));
        }
        assertThat(times).as("the dyno's own 'crashing at' line in the push").isNotEmpty();
        return times.get(0);
    }
}
