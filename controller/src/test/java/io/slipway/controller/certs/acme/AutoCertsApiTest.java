package io.slipway.controller.certs.acme;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.controller.testing.Api;
import io.slipway.controller.testing.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code /apps/{app}/certs/auto} on a real controller: what it refuses and what it shows before any
 * order (orders against a real ACME server are proven by the router's AcmeTest with pebble).
 */
class AutoCertsApiTest {
    static TestPlatform platform;
    static Api api;

    @BeforeAll
    static void start() {
        platform = TestPlatform.start();
        api = Api.of(platform);
        assertThat(api.post("/apps", "{\"name\":\"bare\"}").status()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void enablingOnAnAppWithoutCustomDomainsSays422AndHowToAddOne() {
        Api.Response r = api.post("/apps/bare/certs/auto", "");
        assertThat(r.status()).isEqualTo(422);
        JsonNode body = Api.json(r);
        assertThat(body.get("id").asText()).isEqualTo("invalid_params");
        assertThat(body.get("message").asText()).contains("has no custom domain").contains("domains:add");
        // nothing was turned on
        assertThat(Api.json(api.get("/apps/bare/certs/auto")).get("enabled").asBoolean()).isFalse();
    }

    @Test
    void anUnknownAppIs404ForEveryVerb() {
        assertThat(api.get("/apps/nosuch/certs/auto").status()).isEqualTo(404);
        assertThat(api.post("/apps/nosuch/certs/auto", "").status()).isEqualTo(404);
        assertThat(api.delete("/apps/nosuch/certs/auto").status()).isEqualTo(404);
    }

    @Test
    void anAppWithoutAutomaticCertificatesShowsThemOffAndDisablingIsHarmless() {
        JsonNode status = Api.json(api.get("/apps/bare/certs/auto"));
        assertThat(status.get("enabled").asBoolean()).isFalse();
        assertThat(status.get("domains")).isEmpty();
        assertThat(api.delete("/apps/bare/certs/auto").status()).isEqualTo(200);
    }

    @Test
    void refreshingAnAppWithoutAutomaticCertificatesSaysHowToTurnThemOn() {
        Api.Response r = api.post("/apps/bare/certs/auto/refresh", "");
        assertThat(r.status()).isEqualTo(409);
        assertThat(Api.json(r).get("message").asText()).contains("certs:auto:enable -a bare");
    }
}
