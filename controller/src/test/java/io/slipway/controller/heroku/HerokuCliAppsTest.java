package io.slipway.controller.heroku;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.controller.testing.Api;
import io.slipway.controller.testing.HerokuCli;
import io.slipway.controller.testing.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The unmodified Heroku CLI ({@code heroku} from the npm registry) against a real controller:
 * {@code apps}, {@code apps:info}, {@code auth:whoami}, {@code apps:rename} (which keeps the app's logs),
 * {@code certs}.
 */
class HerokuCliAppsTest {
    private static TestPlatform platform;
    private static Api api;
    private static HerokuCli heroku;

    @BeforeAll
    static void start() {
        platform = TestPlatform.start();
        api = Api.of(platform);
        heroku = HerokuCli.of(platform);
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void whoamiPrintsTheTokensOwner() {
        var r = heroku.run("auth:whoami");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.stdout().strip()).isEqualTo(Api.json(api.get("/account")).get("email").asText()).isNotBlank();
    }

    @Test
    void appsListsTheAppsAsTheUsersOwn() {
        api.post("/apps", "{\"name\":\"listed-a\"}");
        api.post("/apps", "{\"name\":\"listed-b\"}");
        var r = heroku.run("apps");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.stdout()).contains("=== " + Api.json(api.get("/account")).get("email").asText() + " Apps").containsPattern("(?m)^listed-a\\b").containsPattern("(?m)^listed-b\\b")
                .doesNotContain("Collaborated");
    }

    @Test
    void appsInfoShowsGitAndWebUrlsAndDynos() {
        api.post("/apps", "{\"name\":\"shop-info\"}");
        var r = heroku.run("apps:info", "-a", "shop-info");
        assertThat(r.exit()).as(r.all()).isZero();
        var app = Api.json(api.get("/apps/shop-info"));
        assertThat(r.stdout()).contains("=== shop-info")
                .containsPattern("Git URL:\\s+" + java.util.regex.Pattern.quote(app.get("git_url").asText()))
                .containsPattern("Web URL:\\s+" + java.util.regex.Pattern.quote(app.get("web_url").asText()))
                .containsPattern("Stack:\\s+\\S+")
                .containsPattern("Repo Size:\\s+\\d");
    }

    @Test
    void aRenamedAppsLogsShowItsLinesFromBeforeTheRename() {
        api.post("/apps", "{\"name\":\"logged\"}");
        assertThat(api.patch("/apps/logged/config-vars", "{\"BEFORE_RENAME\":\"1\"}").status()).isEqualTo(200);
        var r = heroku.run("apps:rename", "logged-now", "-a", "logged");
        assertThat(r.exit()).as(r.all()).isZero();
        api.patch("/apps/logged-now/config-vars", "{\"AFTER_RENAME\":\"1\"}");

        var logs = heroku.run("logs", "-a", "logged-now");
        assertThat(logs.exit()).as(logs.all()).isZero();
        assertThat(logs.stdout()).containsPattern("slipway\\[api\\]: Set BEFORE_RENAME config vars")
                .containsPattern("slipway\\[api\\]: Set AFTER_RENAME config vars");
        assertThat(logs.stdout().indexOf("BEFORE_RENAME")).isLessThan(logs.stdout().indexOf("AFTER_RENAME"));
    }

    @Test
    void certsListsTheAppsUploadedCertificate() throws Exception {
        api.post("/apps", "{\"name\":\"secured\"}");
        assertThat(api.post("/apps/secured/domains", "{\"hostname\":\"www.secured.test\"}").status()).isEqualTo(201);
        var none = heroku.run("certs", "-a", "secured");
        assertThat(none.exit()).as(none.all()).isZero();
        assertThat(none.stdout()).contains("secured has no SSL certificates");

        var issued = new io.slipway.controller.certs.TestCertificates("Heroku CLI test CA").issue("www.secured.test");
        assertThat(api.post("/apps/secured/certs", io.slipway.api.Json.mapper().writeValueAsString(
                java.util.Map.of("certificate", issued.chainPem(), "private_key", issued.keyPem()))).status()).isEqualTo(201);
        var listed = heroku.run("certs", "-a", "secured");
        assertThat(listed.exit()).as(listed.all()).isZero();
        assertThat(listed.stdout()).containsPattern("secured-uploaded\\s+www\\.secured\\.test\\s+\\d{4}-\\d{2}-\\d{2}.*\\s+True\\s+SNI\\s+1");
    }

    @Test
    void renameMovesTheAppAndRefusesATakenName() {
        api.post("/apps", "{\"name\":\"old-name\"}");
        api.post("/apps", "{\"name\":\"taken-name\"}");
        var r = heroku.run("apps:rename", "new-name", "-a", "old-name");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.stdout()).contains(Api.json(api.get("/apps/new-name")).get("web_url").asText());
        assertThat(api.get("/apps/old-name").status()).isEqualTo(404);

        var taken = heroku.run("apps:rename", "taken-name", "-a", "new-name");
        assertThat(taken.exit()).isNotZero();
        assertThat(taken.stderr()).contains("taken-name").contains("already taken");
        var invalid = heroku.run("apps:rename", "Not_Valid", "-a", "new-name");
        assertThat(invalid.exit()).isNotZero();
        assertThat(invalid.stderr()).contains("Not_Valid");
        assertThat(api.get("/apps/new-name").status()).isEqualTo(200);
    }
}
