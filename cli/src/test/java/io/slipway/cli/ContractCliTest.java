package io.slipway.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the run-side verbs send and print, against a stand-in that answers as the API contract
 * says ({@code DynoView}, {@code FormationView}, {@code ReleaseView}, {@code DomainView}): the
 * exact requests, and output a real platform cannot be made to show on demand.
 */
class ContractCliTest {
    static final Instant NOW = Instant.parse("2026-11-24T13:05:00Z");

    @TempDir
    Path home;

    private StandInPlatform api;
    private SlipwayCli slipway;

    @BeforeEach
    void standIn() {
        api = new StandInPlatform();
        slipway = api.cli(home).at(NOW);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void psGroupsDynosByTypeWebFirstWithTheirCommandStateAgeAndRelease() {
        api.answer("GET /apps/shop/dynos", 200, """
                [{"name":"worker.1","type":"worker","state":"up","release":"v3","command":"python worker.py",
                  "started_at":"2026-11-24T13:04:30Z","restarts":0,"restart_at":null},
                 {"name":"web.10","type":"web","state":"starting","release":"v3","command":"gunicorn app:app",
                  "started_at":"2026-11-24T13:04:58Z","restarts":0},
                 {"name":"web.2","type":"web","state":"up","release":"v3","command":"gunicorn app:app",
                  "started_at":"2026-11-24T11:00:00Z","restarts":0}]""");
        assertThat(slipway.ok("ps", "-a", "shop").out()).isEqualTo("""
                === web (2): gunicorn app:app
                web.2: up 2026-11-24T11:00:00Z (~ 2h ago) v3
                web.10: starting 2026-11-24T13:04:58Z (~ 2s ago) v3

                === worker (1): python worker.py
                worker.1: up 2026-11-24T13:04:30Z (~ 30s ago) v3
                """);
    }

    @Test
    void aCrashedDynoShowsWhenItWillBeRestarted() {
        api.answer("GET /apps/shop/dynos", 200, """
                [{"name":"web.1","type":"web","state":"crashed","release":"v4","command":"bin/web",
                  "started_at":"2026-11-24T13:00:00Z","restarts":3,"restart_at":"2026-11-24T13:05:07.200Z"},
                 {"name":"web.2","type":"web","state":"crashed","release":"v4","command":"bin/web",
                  "started_at":"2026-11-24T13:00:00Z","restarts":3,"restart_at":"2026-11-24T13:04:00Z"}]""");
        assertThat(slipway.ok("ps", "-a", "shop").out()).isEqualTo("""
                === web (2): bin/web
                web.1: crashed 2026-11-24T13:00:00Z (~ 5m ago) v4, restarting in 8 s
                web.2: crashed 2026-11-24T13:00:00Z (~ 5m ago) v4
                """);
    }

    @Test
    void psWithoutDynosSaysSo() {
        api.answer("GET /apps/shop/dynos", 200, "[]");
        assertThat(slipway.ok("ps", "-a", "shop").out()).isEqualTo("No dynos on shop\n");
    }

    @Test
    void psJsonIsTheApisJson() {
        api.answer("GET /apps/shop/dynos", 200, "[{\"name\":\"web.1\",\"future_field\":true}]");
        assertThat(slipway.ok("ps", "-a", "shop", "--json").out()).contains("\"future_field\" : true");
    }

    @Test
    void psScaleSendsHerokusBatchAndSaysWhatNowRuns() {
        api.answer("PATCH /apps/shop/formation", 200, """
                [{"type":"web","quantity":3,"size":"standard","command":"bin/web"},
                 {"type":"worker","quantity":1,"size":"performance","command":"bin/worker"},
                 {"type":"clock","quantity":0,"size":"standard","command":"bin/clock"}]""");
        SlipwayCli.Result r = slipway.ok("ps:scale", "-a", "shop", "web=3", "worker=1:performance");
        assertThat(r.out()).isEqualTo("Scaling dynos... done, now running web at 3:standard, worker at 1:performance\n");
        StandInPlatform.Request sent = api.only();
        assertThat(sent.method()).isEqualTo("PATCH");
        assertThat(sent.path()).isEqualTo("/apps/shop/formation");
        assertThat(AgainstPlatform.json(sent.body())).isEqualTo(AgainstPlatform.json("""
                {"updates":[{"type":"web","quantity":3,"size":null},{"type":"worker","quantity":1,"size":"performance"}]}"""));
    }

    @Test
    void aScaleThePlatformRefusesIsOneLineWithItsReason() {
        api.answer("PATCH /apps/shop/formation", 422,
                "{\"id\":\"invalid\",\"message\":\"unknown process type 'wrker'; shop has web, worker\"}");
        SlipwayCli.Result r = slipway.run("ps:scale", "-a", "shop", "wrker=1")
                .failsWith(1, "unknown process type 'wrker'; shop has web, worker");
        assertThat(r.out()).isEqualTo("Scaling dynos... !\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"web", "web=three", "web=3:"})
    void aScaleArgumentOfTheWrongShapeIsAUsageErrorAndAsksNothing(String argument) {
        slipway.run("ps:scale", "-a", "shop", argument).failsWith(2, "TYPE=N", "ps:scale --help");
        assertThat(api.requests()).isEmpty();
    }

    @Test
    void psRestartWithoutArgumentsRestartsEveryDyno() {
        api.answer("DELETE /apps/shop/dynos", 202, "{\"restarted\":[\"web.1\",\"web.2\"]}");
        assertThat(slipway.ok("ps:restart", "-a", "shop").out()).isEqualTo("Restarting dynos on shop... done\n");
        assertThat(api.only()).isEqualTo(new StandInPlatform.Request("DELETE", "/apps/shop/dynos", ""));
    }

    @Test
    void psRestartOfATypeOrADynoNamesIt() {
        api.answer("DELETE /apps/shop/dynos/web", 202, "{\"restarted\":[\"web.1\"]}");
        api.answer("DELETE /apps/shop/dynos/web.1", 202, "{\"restarted\":[\"web.1\"]}");
        assertThat(slipway.ok("ps:restart", "-a", "shop", "web").out()).isEqualTo("Restarting web dynos on shop... done\n");
        assertThat(slipway.ok("ps:restart", "-a", "shop", "web.1").out()).isEqualTo("Restarting web.1 dyno on shop... done\n");
    }

    @Test
    void psRestartOfAnUnknownDynoIsThePlatformsMessage() {
        api.answer("DELETE /apps/shop/dynos/web.9", 404,
                "{\"id\":\"not_found\",\"message\":\"app 'shop' has no dyno or process type web.9; 'slipway ps' lists them\"}");
        slipway.run("ps:restart", "-a", "shop", "web.9").failsWith(1, "has no dyno or process type web.9");
    }

    @Test
    void psStopPostsTheStopAction() {
        api.answer("POST /apps/shop/dynos/web.1/actions/stop", 202, "{\"stopped\":[\"web.1\"]}");
        assertThat(slipway.ok("ps:stop", "-a", "shop", "web.1").out()).isEqualTo("Stopping web.1 dyno on shop... done\n");
        assertThat(api.only().method()).isEqualTo("POST");
    }

    @Test
    void psRestartSaysHowWebDynosRollWhenThePlatformSaysSo() {
        api.answer("DELETE /apps/shop/dynos", 202, "{\"restarted\":[\"web.1\",\"web.2\"],\"rolling\":true,"
                + "\"message\":\"web dynos are replaced one at a time, each fresh one taking traffic before its old one stops\"}");
        assertThat(slipway.ok("ps:restart", "-a", "shop").out()).isEqualTo("Restarting dynos on shop... done: web dynos"
                + " are replaced one at a time, each fresh one taking traffic before its old one stops\n");
    }

    @Test
    void psStopNeedsADyno() {
        slipway.run("ps:stop", "-a", "shop").failsWith(2, "DYNO");
        assertThat(api.requests()).isEmpty();
    }

    @Test
    void rollbackToAVersionPostsItAndNamesTheNewRelease() {
        api.answer("POST /apps/shop/releases", 201, release(5, "Rollback to v3"));
        assertThat(slipway.ok("rollback", "-a", "shop", "v3").out()).isEqualTo("Rolling back shop to v3... done, v5\n");
        assertThat(AgainstPlatform.json(api.only().body())).isEqualTo(AgainstPlatform.json("{\"release\":\"v3\"}"));
    }

    @Test
    void rollbackAcceptsABareNumber() {
        api.answer("POST /apps/shop/releases", 201, release(5, "Rollback to v3"));
        assertThat(slipway.ok("rollback", "-a", "shop", "3").out()).isEqualTo("Rolling back shop to v3... done, v5\n");
        assertThat(AgainstPlatform.json(api.only().body()).get("release").asText()).isEqualTo("v3");
    }

    @Test
    void rollbackWithoutAVersionLetsThePlatformPickThePreviousOneAndSaysWhichItWas() {
        api.answer("POST /apps/shop/releases", 201, release(5, "Rollback to v3"));
        assertThat(slipway.ok("rollback", "-a", "shop").out()).isEqualTo("Rolling back shop... done, v5 (Rollback to v3)\n");
        assertThat(AgainstPlatform.json(api.only().body()).get("release").isNull()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "v", "v3x", "-1"})
    void aVersionOfAnotherShapeIsAUsageError(String version) {
        slipway.run("rollback", "-a", "shop", "--", version).failsWith(2, "not a release version", "v3");
        slipway.run("releases:info", "-a", "shop", "--", version).failsWith(2, "not a release version");
        assertThat(api.requests()).isEmpty();
    }

    @Test
    void releasesMarkTheCurrentOneAndAnyThatFailed() {
        api.answer("GET /apps/shop/releases", 200, "[" + release(3, "Deploy 9f8e7d6", "failed", false) + ","
                + release(2, "Set GREETING config vars", "succeeded", true) + ","
                + release(1, "Deploy 1a2b3c4", "succeeded", false) + "]");
        assertThat(slipway.ok("releases", "-a", "shop").out()).isEqualTo("""
                === shop Releases
                v3  Deploy 9f8e7d6            admin  2026-11-24T13:00:00Z  (failed)
                v2  Set GREETING config vars  admin  2026-11-24T13:00:00Z  (current)
                v1  Deploy 1a2b3c4            admin  2026-11-24T13:00:00Z
                """);
    }

    @Test
    void domainsListTheDefaultAndTheCustomOnes() {
        api.answer("GET /apps/shop/domains", 200, """
                [{"hostname":"www.shop.test","created_at":"2026-11-24T13:00:00Z"},
                 {"hostname":"shop.example","created_at":"2026-11-24T13:01:00Z"}]""");
        api.answer("GET /apps/shop", 200, """
                {"name":"shop","web_url":"http://shop.localhost:8080/","git_url":"http://127.0.0.1:5050/git/shop.git"}""");
        assertThat(slipway.ok("domains", "-a", "shop").out()).isEqualTo("""
                === shop Default Domain
                shop.localhost

                === shop Custom Domains
                www.shop.test
                shop.example
                """);
    }

    @Test
    void domainsAddPostsTheHostname() {
        api.answer("POST /apps/shop/domains", 201, "{\"hostname\":\"www.shop.test\"}");
        assertThat(slipway.ok("domains:add", "-a", "shop", "www.shop.test").out())
                .isEqualTo("Adding www.shop.test to shop... done\n");
        assertThat(AgainstPlatform.json(api.only().body())).isEqualTo(AgainstPlatform.json("{\"hostname\":\"www.shop.test\"}"));
    }

    @Test
    void aDomainOfAnotherAppIsRefusedWithThePlatformsReason() {
        api.answer("POST /apps/shop/domains", 409,
                "{\"id\":\"conflict\",\"message\":\"www.shop.test already belongs to another app\"}");
        SlipwayCli.Result r = slipway.run("domains:add", "-a", "shop", "www.shop.test")
                .failsWith(1, "www.shop.test already belongs to another app");
        assertThat(r.out()).isEqualTo("Adding www.shop.test to shop... !\n");
    }

    @Test
    void domainsRemoveDeletesIt() {
        api.answer("DELETE /apps/shop/domains/www.shop.test", 204, "");
        assertThat(slipway.ok("domains:remove", "-a", "shop", "www.shop.test").out())
                .isEqualTo("Removing www.shop.test from shop... done\n");
        assertThat(api.only().method()).isEqualTo("DELETE");
    }

    private static String release(int version, String description) {
        return release(version, description, "succeeded", true);
    }

    private static String release(int version, String description, String status, boolean current) {
        return """
                {"version":%d,"description":"%s","status":"%s","current":%s,"build_number":1,"commit":"1a2b3c4d5e",
                 "image":"slipway-x/shop:build-1","process_types":{"web":"bin/web"},"config":{},
                 "created_by":"admin","created_at":"2026-11-24T13:00:00Z"}""".formatted(version, description, status, current);
    }
}
