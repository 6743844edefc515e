package io.slipway.router;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HostNameTest {
    @Test
    void anAppIsTheFirstLabelUnderTheDomainWhateverTheCaseAndPort() {
        assertThat(HostName.parse("Shop.LocalHost:8080").appUnder("localhost")).isEqualTo("shop");
        assertThat(HostName.parse("shop.localhost.").appUnder("localhost")).isEqualTo("shop");
        assertThat(HostName.parse("shop.apps.example.com").appUnder("apps.example.com")).isEqualTo("shop");
    }

    @Test
    void deeperNamesAndOtherDomainsAreNoApp() {
        assertThat(HostName.parse("a.b.localhost").appUnder("localhost")).isNull();
        assertThat(HostName.parse("shoplocalhost").appUnder("localhost")).isNull();
        assertThat(HostName.parse("localhost").appUnder("localhost")).isNull();
    }

    @Test
    void theBareDomainAndLoopbackNamesAreThePlatforms() {
        assertThat(HostName.parse("localhost:8080").isPlatform("localhost")).isTrue();
        assertThat(HostName.parse("127.0.0.1").isPlatform("apps.example.com")).isTrue();
        assertThat(HostName.parse("[::1]:8080").isPlatform("apps.example.com")).isTrue();
        assertThat(HostName.parse("apps.example.com").isPlatform("apps.example.com")).isTrue();
        assertThat(HostName.parse("shop.localhost").isPlatform("localhost")).isFalse();
    }

    @Test
    void whatIsNotAHostNameWithAnOptionalPortIsRefused() {
        assertThat(HostName.parse(null)).isNull();
        assertThat(HostName.parse("")).isNull();
        assertThat(HostName.parse("bad host!")).isNull();
        assertThat(HostName.parse("shop.localhost:80:80")).isNull();
        assertThat(HostName.parse("shop.localhost:")).isNull();
        assertThat(HostName.parse("shop.localhost:123456")).isNull();
        assertThat(HostName.parse("-shop.localhost")).isNull();
        assertThat(HostName.parse("[::1")).isNull();
        assertThat(HostName.parse("user@shop.localhost")).isNull();
    }
}
