package io.slipway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code apps}, {@code apps:create}, {@code apps:info}, {@code apps:destroy} against a real platform. */
class AppsCliTest extends AgainstPlatform {

    @Test
    void creatingAnAppPrintsItsWebAndGitUrls() {
        SlipwayCli.Result r = slipway.ok("apps:create", "shop");
        assertThat(r.out()).isEqualTo("Creating shop... done\n"
                + "http://shop.localhost:" + platform.env().get("SLIPWAY_ROUTER_PORT") + "/ | "
                + platform.apiUrl() + "/git/shop.git\n");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void createdAppsAreListedOnePerLine() {
        slipway.ok("apps:create", "shop");
        slipway.ok("apps:create", "billing-api");
        String out = slipway.ok("apps").out();
        assertThat(out).startsWith("=== Apps\n");
        assertThat(out.lines().skip(1)).containsExactlyInAnyOrder("shop", "billing-api");
    }

    @Test
    void withNoAppsTheListSaysSo() {
        assertThat(slipway.ok("apps").out()).isEqualTo("You have no apps.\n");
    }

    @Test
    void appsJsonIsTheApisListOfApps() {
        slipway.ok("apps:create", "shop");
        JsonNode apps = json(slipway.ok("apps", "--json"));
        assertThat(apps.isArray()).isTrue();
        assertThat(apps).hasSize(1);
        JsonNode shop = apps.get(0);
        assertThat(shop.get("name").asText()).isEqualTo("shop");
        assertThat(shop.get("git_url").asText()).isEqualTo(platform.apiUrl() + "/git/shop.git");
        assertThat(shop.has("id") && shop.has("created_at") && shop.has("web_url")).isTrue();
    }

    @Test
    void withoutANameThePlatformGeneratesOne() {
        SlipwayCli.Result r = slipway.ok("apps:create");
        String first = r.out().lines().findFirst().orElseThrow();
        assertThat(first).matches("Creating app\\.\\.\\. done, [a-z][a-z0-9-]*[a-z0-9]");
        String name = first.substring(first.lastIndexOf(' ') + 1);
        assertThat(appNames()).containsExactly(name);
        assertThat(r.out()).contains("/git/" + name + ".git");
    }

    @Test
    void infoShowsTheAppsUrlsAndCreationTimeAligned() {
        slipway.ok("apps:create", "shop");
        String out = slipway.ok("apps:info", "-a", "shop").out();
        assertThat(out.lines()).hasSize(4);
        assertThat(out.lines().toList().get(0)).isEqualTo("=== shop");
        assertThat(out).contains("Git URL: " + platform.apiUrl() + "/git/shop.git\n")
                .contains("Web URL: http://shop.localhost:")
                .containsPattern("Created: \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\n");
    }

    @Test
    void infoJsonIsTheApisApp() {
        slipway.ok("apps:create", "shop");
        JsonNode app = json(slipway.ok("apps:info", "--app", "shop", "--json"));
        assertThat(app.get("name").asText()).isEqualTo("shop");
        assertThat(app.get("web_url").asText()).startsWith("http://shop.localhost:");
    }

    @Test
    void destroyWithAMatchingConfirmRemovesTheApp() {
        slipway.ok("apps:create", "shop");
        SlipwayCli.Result r = slipway.ok("apps:destroy", "shop", "--confirm", "shop");
        assertThat(r.out()).isEqualTo("Destroying shop... done\n");
        assertThat(appNames()).isEmpty();
    }

    @Test
    void destroyTakesTheAppFromTheAppOptionToo() {
        slipway.ok("apps:create", "shop");
        slipway.ok("apps:destroy", "-a", "shop", "--confirm", "shop");
        assertThat(appNames()).isEmpty();
    }

    @Test
    void destroyWithoutConfirmRefusesAndTheAppStays() {
        slipway.ok("apps:create", "shop");
        slipway.run("apps:destroy", "shop").failsWith(1, "re-run with --confirm shop");
        assertThat(appNames()).containsExactly("shop");
    }

    @Test
    void destroyWithAWrongConfirmRefusesAndTheAppStays() {
        slipway.ok("apps:create", "shop");
        slipway.run("apps:destroy", "shop", "--confirm", "shop2").failsWith(1, "does not match", "--confirm shop");
        assertThat(appNames()).containsExactly("shop");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bad_Name!", "1shop", "shop-", "UPPER",
            "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcd"})
    void namesThatAreNotDnsLabelsAreRefusedAndNothingIsCreated(String name) {
        slipway.ok("apps:create", "shop");
        slipway.run("apps:create", name).failsWith(1, "app name");
        assertThat(appNames()).containsExactly("shop");
    }

    @Test
    void aNameWithALeadingHyphenIsRefusedAndNothingIsCreated() {
        // As an argument it reads as an option (a usage error); after "--" the platform refuses it.
        slipway.run("apps:create", "-shop").failsWith(2, "-shop");
        slipway.run("apps:create", "--", "-shop").failsWith(1, "app name '-shop' is not valid");
        assertThat(appNames()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"slipway", "www", "api"})
    void reservedNamesAreRefused(String name) {
        slipway.run("apps:create", name).failsWith(1, "reserved");
        assertThat(appNames()).isEmpty();
    }

    @Test
    void aNameThatIsTakenIsRefusedAndTheExistingAppKeepsItsConfig() {
        slipway.ok("apps:create", "shop");
        slipway.ok("config:set", "-a", "shop", "GREETING=hello");
        SlipwayCli.Result r = slipway.run("apps:create", "shop").failsWith(1, "shop");
        assertThat(r.out()).isEqualTo("Creating shop... !\n");
        assertThat(appNames()).containsExactly("shop");
        assertThat(configOf("shop")).containsExactly(java.util.Map.entry("GREETING", "hello"));
    }

    @Test
    void anUnknownAppIsReportedByName() {
        slipway.run("apps:info", "-a", "nosuch").failsWith(1, "nosuch");
        slipway.run("apps:destroy", "nosuch", "--confirm", "nosuch").failsWith(1, "nosuch");
    }
}
