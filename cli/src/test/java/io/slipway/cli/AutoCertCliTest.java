package io.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slipway.controller.testing.TestPlatform;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code certs:auto}, {@code certs:auto:enable} and {@code certs:auto:disable} through the real CLI.
 * The platform's ACME directory is a loopback port where nothing listens, so an order fails the way
 * an unreachable ACME server fails (issuing for real is the router's AcmeTest, against pebble).
 */
class AutoCertCliTest {
    static TestPlatform platform;
    static SlipwayCli slipway;

    @BeforeAll
    static void start() {
        platform = TestPlatform.start(Map.of("SLIPWAY_ACME_DIRECTORY", "https://127.0.0.1:" + TestPlatform.freePort() + "/dir",
                "SLIPWAY_ACME_CHECK_EVERY", "1s"));
        slipway = SlipwayCli.onHostOf(platform);
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void enablingWithoutACustomDomainSaysToAddOne() {
        slipway.ok("apps:create", "bare");
        slipway.run("certs:auto:enable", "-a", "bare").failsWith(1, "domains:add");
        assertThat(slipway.ok("certs:auto", "-a", "bare").out()).contains("Automatic Certificates: disabled");
    }

    @Test
    void anOrderThatCannotReachTheAcmeServerIsShownFailingWithItsErrorAndCanBeTurnedOff() {
        slipway.ok("apps:create", "shop");
        slipway.ok("domains:add", "-a", "shop", "www.shop.test");
        assertThat(slipway.ok("certs:auto:enable", "-a", "shop").out())
                .startsWith("Enabling automatic certificates for shop... done, ordering for [www.shop.test]");
        await().atMost(Duration.ofSeconds(30)).until(() -> slipway.ok("certs:auto", "-a", "shop").out().contains("failing"));
        String shown = slipway.ok("certs:auto", "-a", "shop").out();
        assertThat(shown).contains("=== shop Automatic Certificates: enabled").contains("Domain").contains("Last error")
                .contains("www.shop.test").contains("failing");
        assertThat(json(slipway.ok("certs:auto", "-a", "shop", "--json")).get("domains").get(0).get("last_error").asText())
                .contains("Network error: could not connect").contains("talking to the ACME server at https://127.0.0.1:");
        assertThat(slipway.ok("certs:auto:refresh", "-a", "shop").out()).startsWith("Refreshing automatic certificates for shop... done");
        assertThat(slipway.ok("certs:auto:disable", "-a", "shop").out()).isEqualTo("Disabling automatic certificates for shop... done\n");
        assertThat(slipway.ok("certs:auto", "-a", "shop").out()).contains("Automatic Certificates: disabled");
    }

    private static com.fasterxml.jackson.databind.JsonNode json(SlipwayCli.Result r) {
        return AgainstPlatform.json(r);
    }
}
