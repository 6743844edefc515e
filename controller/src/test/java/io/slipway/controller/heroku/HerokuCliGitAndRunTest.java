package io.slipway.controller.heroku;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.controller.testing.Api;
import io.slipway.controller.testing.GitPush;
import io.slipway.controller.testing.HerokuCli;
import io.slipway.controller.testing.PlatformCertificateFile;
import io.slipway.controller.testing.TestPlatform;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The unmodified Heroku CLI's own git remote and {@code heroku run}: {@code apps:create} and
 * {@code git:remote} print {@code https://localhost:TLS/shop.git} (from {@code HEROKU_GIT_HOST}),
 * a real {@code git push heroku main} through the CLI's credential helper deploys, and
 * {@code heroku run} attaches over the rendezvous with the platform's certificate.
 */
class HerokuCliGitAndRunTest {
    private static TestPlatform platform;
    private static Api api;
    private static HerokuCli heroku;
    private static String gitHost;
    private static HerokuCli.Result created;
    private static HerokuCli.Result remote;
    private static HerokuCli.Result push;

    @BeforeAll
    static void createAndPush() {
        platform = TestPlatform.start();
        api = Api.of(platform);
        Path cert = PlatformCertificateFile.write(platform.home(), "localhost");
        gitHost = "localhost:" + platform.env().get("SLIPWAY_API_TLS_PORT");
        // What README's Heroku CLI section says to set: the git host, and trust in the platform's certificate.
        heroku = HerokuCli.of(platform).with(Map.of("HEROKU_GIT_HOST", gitHost, "NODE_EXTRA_CA_CERTS", cert.toString()));
        heroku.git(heroku.home(), "config", "--global", "http.https://" + gitHost + "/.sslCAInfo", cert.toString());

        created = heroku.run("apps:create", "shop");
        GitPush buildpack = GitPush.of(Path.of("src/test/resources/fixtures/hello-buildpack"));
        api.patch("/apps/shop/config-vars", "{\"BUILDPACK_URL\":\"file://" + buildpack.dir() + "\"}");
        GitPush app = GitPush.init().write("hello.txt", "hello world\n")
                .write("Procfile", "web: python3 -m http.server $PORT\n").commit("first");
        remote = heroku.runIn(app.dir(), "git:remote", "-a", "shop");
        push = heroku.git(app.dir(), "push", "heroku", "main");
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void theRemoteThatAppsCreateAndGitRemotePrintTakesThePushAndReleasesIt() {
        assertThat(created.exit()).as(created.all()).isZero();
        assertThat(created.all()).contains("https://" + gitHost + "/shop.git");
        assertThat(remote.exit()).as(remote.all()).isZero();
        assertThat(remote.all()).contains("set git remote heroku to https://" + gitHost + "/shop.git");

        assertThat(push.exit()).as(push.all()).isZero();
        assertThat(push.all()).contains("To https://" + gitHost + "/shop.git")
                .contains("remote: -----> Launching v").contains("Starting web.1 ... up")
                .contains("remote: -----> Released v").contains("main -> main");
        var releases = Api.json(api.get("/apps/shop/releases"));
        assertThat(releases.get(0).get("state").asText()).isEqualTo("live");
    }

    @Test
    void runPrintsTheOutputAndExitsZero() {
        var r = heroku.run("run", "-a", "shop", "--", "echo", "hi from $DYNO");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.stdout()).containsPattern("hi from run\\.\\d+");
    }

    @Test
    void runExitsWithTheCommandsExitCodeWithAndWithoutDashX() {
        var plain = heroku.run("run", "-a", "shop", "--", "echo before; exit 3");
        assertThat(plain.stdout()).as(plain.all()).contains("before").doesNotContain("heroku-command-exit-status");
        assertThat(plain.exit()).as(plain.all()).isEqualTo(3);

        // -x appends an echo of the status, which 'exit 4' never reaches: the platform's status line still comes.
        var x = heroku.run("run", "-x", "-a", "shop", "--", "exit 4");
        assertThat(x.exit()).as(x.all()).isEqualTo(4);
        assertThat(x.all()).doesNotContain("heroku-command-exit-status");

        var echoed = heroku.run("run", "-x", "-a", "shop", "--", "echo after; false");
        assertThat(echoed.exit()).as(echoed.all()).isEqualTo(1);
        assertThat(echoed.stdout()).contains("after").doesNotContain("heroku-command-exit-status");
    }

    @Test
    void runBashReadsPipedInputAndEndsWithIt() {
        var r = heroku.runWithInput("echo from-bash-$((6*7))\nexit 5\n", "run", "bash", "-a", "shop");
        assertThat(r.stdout()).as(r.all()).contains("from-bash-42");
        assertThat(r.exit()).as(r.all()).isEqualTo(5);
    }

    @Test
    void addonsAndAppsInfoShowTheAppsAddOnWithItsPlan() {
        var created = api.post("/apps/shop/addons", "{\"service\":\"redis\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(202);
        String name = Api.json(created).get("name").asText();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofMinutes(5)).pollInterval(java.time.Duration.ofMillis(200))
                .until(() -> !Api.json(api.get("/addons/" + name)).get("state").asText().equals("creating"));

        var list = heroku.run("addons", "-a", "shop");
        assertThat(list.exit()).as(list.all()).isZero();
        assertThat(list.stdout()).contains("redis (" + name + ")").containsPattern("as REDIS")
                .containsPattern("\\b7\\s+free\\s+free\\s+created");

        var info = heroku.run("apps:info", "-a", "shop");
        assertThat(info.exit()).as(info.all()).isZero();
        assertThat(info.stdout()).containsPattern("Addons:\\s+redis:7");
        // Slipway's own CLI reads the same route as before.
        assertThat(Api.json(api.get("/apps/shop/addons")).get(0).get("app").asText()).isEqualTo("shop");
    }

    @Test
    void aRendezvousSecretOpensOneSessionOnly() throws Exception {
        // The same attach_url used twice: the second connection is told so and closed.
        var body = Api.json(api.post("/apps/shop/dynos", "{\"command\":\"echo only-this-time\",\"attach\":true}"));
        String url = body.get("attach_url").asText();
        assertThat(url).startsWith("rendezvous://localhost:" + platform.env().get("SLIPWAY_RENDEZVOUS_PORT") + "/");
        assertThat(RendezvousClient.session(url, platform.home().resolve("tls/platform.crt")))
                .startsWith("rendezvous\r\n").contains("only-this-time").endsWith("heroku-command-exit-status: 0\n");
        assertThat(RendezvousClient.session(url, platform.home().resolve("tls/platform.crt")))
                .contains("unknown, used or expired").doesNotContain("only-this-time");
    }
}
