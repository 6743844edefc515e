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

    @Test
    void releasesInfoShowsTheReleaseAndItsConfigVars() {
        assertThat(api.patch("/apps/shop/config-vars", "{\"COLOR\":\"blue\"}").status()).isEqualTo(200);
        var latest = Api.json(api.get("/apps/shop/releases")).get(0);
        int v = latest.get("version").asInt();

        var r = heroku.run("releases:info", "v" + v, "-a", "shop");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.stdout()).contains("=== Release v" + v)
                .containsPattern("By:\\s+" + Api.json(api.get("/account")).get("email").asText())
                .containsPattern("Change:\\s+" + java.util.regex.Pattern.quote(latest.get("description").asText()))
                .contains("=== v" + v + " Config vars").containsPattern("COLOR:\\s+blue").containsPattern("GREETING:\\s+hi");

        var previous = heroku.run("releases:info", "v" + (v - 1), "-a", "shop");
        assertThat(previous.exit()).as(previous.all()).isZero();
        assertThat(previous.stdout()).containsPattern("GREETING:\\s+hi").doesNotContain("COLOR")
                .containsPattern("Eligible for Rollback\\?:\\s+Yes");
    }

    @Test
    void releasesDashNShowsOnlyTheLatestOnesAsHerokusRangeAsksAndPagesFollowNextRange() throws Exception {
        for (String name : java.util.List.of("PAGE_A", "PAGE_B", "PAGE_C")) {
            assertThat(api.patch("/apps/shop/config-vars", "{\"" + name + "\":\"1\"}").status()).isEqualTo(200);
        }
        var all = Api.json(api.get("/apps/shop/releases")); // Slipway's own client sends no Range: all of them
        int latest = 0;
        for (var release : all) {
            latest = Math.max(latest, release.get("version").asInt());
        }
        assertThat(all.size()).isEqualTo(latest);

        var r = heroku.run("releases", "-a", "shop", "-n", "2");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.stdout()).containsPattern("(?m)^\\s*v" + latest + "\\s+Set PAGE_C")
                .containsPattern("(?m)^\\s*v" + (latest - 1) + "\\s+Set PAGE_B").doesNotContainPattern("(?m)^\\s*v" + (latest - 2) + "\\s")
                .doesNotContain("release command failed"); // v3 was superseded by v4 before it was live, nothing failed

        var first = ranged("/apps/shop/releases", "version ..; max=2, order=desc");
        assertThat(first.statusCode()).isEqualTo(206);
        assertThat(Api.json(new Api.Response(200, first.body(), null, null)).findValuesAsText("version"))
                .containsExactly(Integer.toString(latest), Integer.toString(latest - 1));
        String next = first.headers().firstValue("Next-Range").orElseThrow();
        assertThat(next).isEqualTo("version ]" + (latest - 1) + "..; max=2, order=desc");
        var rest = ranged("/apps/shop/releases", "version ]2..; max=200, order=desc");
        assertThat(rest.statusCode()).isEqualTo(200);
        assertThat(Api.json(new Api.Response(200, rest.body(), null, null)).findValuesAsText("version")).containsExactly("1");

        var dynos = ranged("/apps/shop/dynos", "id ..; max=200;");
        assertThat(dynos.statusCode()).isEqualTo(200);
        assertThat(dynos.body()).contains("\"name\":\"web.1\"");
        var bad = ranged("/apps/shop/releases", "size ..");
        assertThat(bad.statusCode()).isEqualTo(416);
        assertThat(bad.body()).contains("'size' is not a field this list is sorted by");
    }

    private static java.net.http.HttpResponse<String> ranged(String path, String range) throws Exception {
        try (var client = java.net.http.HttpClient.newHttpClient()) {
            return client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(platform.apiUrl() + path))
                    .header("Authorization", "Bearer " + platform.adminToken()).header("Range", range).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
        }
    }

    @Test
    void domainsListsTheDefaultDomainAndDomainsAddAddsACustomOne() {
        var r = heroku.run("domains:add", "www.shop.test", "-a", "shop");
        assertThat(r.exit()).as(r.all()).isZero();
        String defaultHost = java.net.URI.create(Api.json(api.get("/apps/shop")).get("web_url").asText()).getHost();
        assertThat(r.stdout()).contains("point to the DNS Target " + defaultHost);

        var list = heroku.run("domains", "-a", "shop");
        assertThat(list.exit()).as(list.all()).isZero();
        assertThat(list.stdout()).containsPattern("=== shop Heroku Domain\\s+" + java.util.regex.Pattern.quote(defaultHost) + "\\n")
                .contains("=== shop Custom Domains")
                .containsPattern("www\\.shop\\.test\\s+CNAME\\s+" + java.util.regex.Pattern.quote(defaultHost));
        // Slipway's own answer still lists only the custom one.
        assertThat(Api.json(api.get("/apps/shop/domains"))).hasSize(1);

        var again = heroku.run("domains:add", "www.shop.test", "-a", "shop");
        assertThat(again.exit()).isNotZero();
        assertThat(again.stderr()).contains("www.shop.test").contains("already routed");
    }

    @Test
    void logsShowsTheAppsRecentLinesAndTailFollowsNewOnes() throws Exception {
        var r = heroku.run("logs", "-a", "shop");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.stdout()).containsPattern("(?m)^\\d{4}-\\d{2}-\\d{2}T\\S+ slipway\\[api\\]: Release v1 created by ");

        java.nio.file.Path out = java.nio.file.Files.createTempFile("heroku-logs-tail-", ".txt");
        Process tail = heroku.start(out, "logs", "--tail", "-a", "shop");
        try {
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                    .until(() -> java.nio.file.Files.readString(out).contains("Release v1 created"));
            api.patch("/apps/shop/config-vars", "{\"TAILED\":\"yes\"}");
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                    .until(() -> java.nio.file.Files.readString(out).contains("TAILED"));
            assertThat(tail.isAlive()).as(java.nio.file.Files.readString(out)).isTrue();
        } finally {
            tail.destroy();
            tail.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
        }
    }
}
