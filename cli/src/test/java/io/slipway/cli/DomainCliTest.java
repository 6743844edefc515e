package io.slipway.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code domains}, {@code domains:add} and {@code domains:remove} against a real platform. */
class DomainCliTest extends AgainstPlatform {

    @BeforeEach
    void shop() {
        slipway.ok("apps:create", "shop");
    }

    @Test
    void anAppStartsWithItsDefaultDomainOnly() {
        assertThat(slipway.ok("domains", "-a", "shop").out()).isEqualTo("""
                === shop Default Domain
                shop.localhost

                === shop Custom Domains
                none: `slipway domains:add HOSTNAME` adds one
                """);
        assertThat(json(slipway.ok("domains", "-a", "shop", "--json"))).isEmpty();
    }

    @Test
    void anAddedDomainIsListedUntilItIsRemoved() {
        assertThat(slipway.ok("domains:add", "-a", "shop", "www.shop.test").out())
                .isEqualTo("Adding www.shop.test to shop... done\n");
        assertThat(slipway.ok("domains", "-a", "shop").out()).endsWith("=== shop Custom Domains\nwww.shop.test\n");
        assertThat(json(slipway.ok("domains", "-a", "shop", "--json")).get(0).get("hostname").asText())
                .isEqualTo("www.shop.test");

        assertThat(slipway.ok("domains:remove", "-a", "shop", "www.shop.test").out())
                .isEqualTo("Removing www.shop.test from shop... done\n");
        assertThat(json(slipway.ok("domains", "-a", "shop", "--json"))).isEmpty();
    }

    @Test
    void aDomainOfAnotherAppIsRefused() {
        slipway.ok("apps:create", "other");
        slipway.ok("domains:add", "-a", "other", "www.shop.test");
        SlipwayCli.Result r = slipway.run("domains:add", "-a", "shop", "www.shop.test").failsWith(1, "www.shop.test");
        assertThat(r.out()).isEqualTo("Adding www.shop.test to shop... !\n");
        assertThat(json(slipway.ok("domains", "-a", "shop", "--json"))).isEmpty();
    }

    @Test
    void somethingThatIsNotAHostNameIsRefused() {
        slipway.run("domains:add", "-a", "shop", "not a host!").failsWith(1, "not a host!");
        assertThat(json(slipway.ok("domains", "-a", "shop", "--json"))).isEmpty();
    }

    @Test
    void removingADomainTheAppDoesNotHaveSaysSo() {
        slipway.run("domains:remove", "-a", "shop", "www.nope.test").failsWith(1, "www.nope.test");
    }

    @Test
    void domainsOfAnUnknownAppFailWithOneLine() {
        slipway.run("domains", "-a", "nosuch").failsWith(1, "nosuch");
        slipway.run("domains:add", "-a", "nosuch", "www.shop.test").failsWith(1, "nosuch");
    }
}
