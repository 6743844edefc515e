package io.slipway.controller.heroku;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.api.AddonView;
import io.slipway.controller.http.ApiException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The attachment resolver the Heroku CLI's pg verbs ask first: by attachment name (with or without
 * {@code _URL}) or add-on name, within a service; nothing found is Heroku's {@code not_found}, on
 * which the CLI falls back to config var names and lists the databases there are.
 */
class HerokuAddonsResolveTest {
    private static final List<HerokuAddons.HerokuAttachment> ON_SHOP = java.util.stream.Stream.of(
            addon("postgres-shop-1", "postgres", "15", "DATABASE"), addon("redis-shop-1", "redis", "7", "REDIS"))
            .flatMap(a -> HerokuAddons.attachments(a).stream()).toList();

    @Test
    void anAttachmentIsFoundByItsNameItsConfigVarOrItsAddOnsName() {
        for (String name : List.of("DATABASE", "DATABASE_URL", "postgres-shop-1")) {
            var found = HerokuAddons.resolve(ON_SHOP, new HerokuAddons.Resolve(name, "shop", null));
            assertThat(found).singleElement().satisfies(t -> {
                assertThat(t.addon().name()).isEqualTo("postgres-shop-1");
                assertThat(t.addon().plan().name()).isEqualTo("postgres:private-15");
                assertThat(t.configVars()).containsExactly("DATABASE_URL");
            });
        }
    }

    @Test
    void theServiceAskedForNarrowsTheMatches() {
        assertThatThrownBy(() -> HerokuAddons.resolve(ON_SHOP, new HerokuAddons.Resolve("REDIS", "shop", "postgres")))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.id()).isEqualTo("not_found");
                    assertThat(e.getMessage()).contains("'REDIS' on shop");
                });
        assertThat(HerokuAddons.resolve(ON_SHOP, new HerokuAddons.Resolve("REDIS", "shop", "redis"))).hasSize(1);
    }

    private static AddonView addon(String name, String service, String version, String as) {
        return new AddonView(name, service, version, "shop", "available", null,
                List.of(new AddonView.Attachment("shop", as, as + "_URL", null)), null, Instant.now());
    }
}
