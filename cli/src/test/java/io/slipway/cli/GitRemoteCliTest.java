package io.slipway.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Inside a checkout with a {@code slipway} git remote, app verbs need no {@code -a}, as with Heroku's remote. */
class GitRemoteCliTest extends AgainstPlatform {
    @TempDir
    Path checkout;

    @TempDir
    Path plain;

    private SlipwayCli inCheckout;

    @BeforeEach
    void aCheckoutOfShop() throws Exception {
        slipway.ok("apps:create", "shop");
        slipway.ok("apps:create", "other");
        Git.init(checkout).remote("slipway", "http://127.0.0.1:5050/git/shop.git");
        inCheckout = slipway.in(checkout).with("GIT_CEILING_DIRECTORIES", checkout.getParent().toString());
    }

    @Test
    void configVerbsActOnTheAppOfTheSlipwayRemote() {
        inCheckout.ok("config:set", "GREETING=hello");
        assertThat(inCheckout.ok("config").out()).startsWith("=== shop Config Vars\n").contains("GREETING: hello");
        assertThat(inCheckout.ok("config:get", "GREETING").out()).isEqualTo("hello\n");
        assertThat(configOf("other")).isEmpty();
    }

    @Test
    void appsInfoDescribesTheAppOfTheSlipwayRemote() {
        assertThat(inCheckout.ok("apps:info").out()).startsWith("=== shop\n");
    }

    @Test
    void theAppOptionStillWinsInsideACheckout() {
        assertThat(inCheckout.ok("apps:info", "-a", "other").out()).startsWith("=== other\n");
    }

    @Test
    void destroyInsideTheCheckoutStillWantsTheNameConfirmed() {
        inCheckout.run("apps:destroy").failsWith(1, "re-run with --confirm shop");
        assertThat(appNames()).containsExactlyInAnyOrder("shop", "other");
        inCheckout.ok("apps:destroy", "--confirm", "shop");
        assertThat(appNames()).containsExactly("other");
    }

    @Test
    void outsideAnyCheckoutTheErrorSaysHowToNameTheApp() {
        slipway.in(plain).with("GIT_CEILING_DIRECTORIES", plain.getParent().toString()).run("config")
                .failsWith(2, "no app given: pass -a APP or run inside a checkout with a slipway git remote");
    }
}
