package io.slipway.controller.heroku;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slipway.controller.testing.Api;
import io.slipway.controller.testing.HerokuCli;
import io.slipway.controller.testing.TestPlatform;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code heroku certs:auto}, {@code certs:auto:enable}, {@code certs:auto:refresh} and
 * {@code certs:auto:disable} (Heroku's ACM) drive Slipway's automatic certificates. The ACME
 * directory is a loopback port where nothing listens, so every order fails as an unreachable ACME
 * server makes it fail (issuing for real is the router's AcmeTest, against pebble).
 */
class HerokuCliAcmTest {
    private static TestPlatform platform;
    private static Api api;
    private static HerokuCli heroku;

    @BeforeAll
    static void start() {
        platform = TestPlatform.start(Map.of("SLIPWAY_ACME_DIRECTORY", "https://127.0.0.1:" + TestPlatform.freePort() + "/dir",
                "SLIPWAY_ACME_CHECK_EVERY", "1s"));
        api = Api.of(platform);
        heroku = HerokuCli.of(platform);
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void enableShowsEachDomainsStatusWithItsReasonAndDisableTurnsItOff() {
        assertThat(api.post("/apps", "{\"name\":\"acmed\"}").status()).isEqualTo(201);
        assertThat(api.post("/apps/acmed/domains", "{\"hostname\":\"www.acmed.test\"}").status()).isEqualTo(201);
        var off = heroku.run("certs:auto", "-a", "acmed");
        assertThat(off.exit()).as(off.all()).isZero();
        assertThat(off.stdout()).contains("Automatic Certificate Management is disabled on acmed");

        var enable = heroku.run("certs:auto:enable", "-a", "acmed");
        assertThat(enable.exit()).as(enable.all()).isZero();
        await("the order for www.acmed.test to fail").atMost(Duration.ofSeconds(30))
                .until(() -> Api.json(api.get("/apps/acmed/certs/auto")).path("domains").path(0).path("status").asText().equals("failing"));

        var status = heroku.run("certs:auto", "-a", "acmed");
        assertThat(status.exit()).as(status.all()).isZero();
        assertThat(status.stdout()).contains("Automatic Certificate Management is enabled on acmed")
                .containsPattern("www\\.acmed\\.test\\s+Failing\\s+.*could not connect")
                .contains("Some domains are failing validation");
        var refresh = heroku.run("certs:auto:refresh", "-a", "acmed");
        assertThat(refresh.exit()).as(refresh.all()).isZero();

        var disable = heroku.run("certs:auto:disable", "-a", "acmed", "--confirm", "acmed");
        assertThat(disable.exit()).as(disable.all()).isZero();
        assertThat(Api.json(api.get("/apps/acmed/certs/auto")).path("enabled").asBoolean()).isFalse();
        assertThat(heroku.run("certs:auto", "-a", "acmed").stdout()).contains("Automatic Certificate Management is disabled on acmed");
    }

    @Test
    void enablingAnAppWithoutCustomDomainsSaysToAddOne() {
        assertThat(api.post("/apps", "{\"name\":\"bare\"}").status()).isEqualTo(201);
        var enable = heroku.run("certs:auto:enable", "-a", "bare");
        assertThat(enable.exit()).as(enable.all()).isNotZero();
        assertThat(enable.all()).contains("domains:add");
    }
}
