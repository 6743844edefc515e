package io.slipway.controller;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.controller.testing.Api;
import io.slipway.controller.testing.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Text the database cannot store (NUL, lone surrogates), configs too big to start, and other input
 * that used to be taken and fail later: each is refused at the door with a message, and nothing
 * stored changes.
 */
class UntrustedTextTest {
    static TestPlatform platform;
    static Api api;

    @BeforeAll
    static void start() {
        platform = TestPlatform.start();
        api = Api.of(platform);
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @BeforeEach
    void shopWithOneVar() {
        api.delete("/apps/shop");
        assertThat(api.post("/apps", "{\"name\":\"shop\"}").status()).isEqualTo(201);
        assertThat(api.patch("/apps/shop/config-vars", "{\"GREETING\":\"hello\"}").status()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET /apps/%00", "GET /apps/shop%00", "DELETE /apps/%00", "PATCH /apps/%00/config-vars",
            "GET /apps/%00/domains", "DELETE /apps/shop/domains/%00", "DELETE /apps/shop/domains/www.example.com%00",
            "GET /git/%00.git/info/refs?service=git-receive-pack", "POST /git/shop%00.git/git-receive-pack",
            "GET /apps/shop/releases/v1%00", "DELETE /apps/shop/dynos/web.1%00"})
    void aNulInAPathIsA400NamingItNotAServerError(String request) {
        String[] parts = request.split(" ");
        Api.Response r = api.send(parts[0], parts[1], parts[0].equals("PATCH") ? "{\"GREETING\":\"bye\"}" : null);
        assertError(r, 400, "bad_request");
        assertThat(message(r)).contains("NUL character (U+0000)");
        assertThat(api.get("/apps/shop/config-vars").body()).isEqualTo("{\"GREETING\":\"hello\"}");
    }

    @Test
    void aLoneSurrogateInAConfigValueIsRefusedAsNotUnicodeAndNothingIsStored() {
        Api.Response r = api.patch("/apps/shop/config-vars", "{\"OK\":\"fine\",\"BROKEN\":\"ab\\ud800cd\"}");
        assertError(r, 422, "invalid_params");
        assertThat(message(r)).contains("'BROKEN'").contains("lone UTF-16 surrogate (U+D800)").contains("not valid Unicode");
        assertThat(api.get("/apps/shop/config-vars").body()).isEqualTo("{\"GREETING\":\"hello\"}");
    }

    @Test
    void aSurrogatePairIsStoredFaithfully() {
        assertThat(api.patch("/apps/shop/config-vars", "{\"MOOD\":\"\\ud83d\\ude00 ok\"}").status()).isEqualTo(200);
        assertThat(Api.json(api.get("/apps/shop/config-vars")).get("MOOD").textValue()).isEqualTo("\uD83D\uDE00 ok");
    }

    @Test
    void aNulInAScheduleCommandIsRefusedBeforeItReachesTheDatabase() {
        Api.Response r = api.post("/apps/shop/schedules", "{\"cron\":\"0 3 * * *\",\"command\":\"python\\u0000 nightly.py\"}");
        assertError(r, 422, "invalid_params");
        assertThat(message(r)).contains("'command'").contains("NUL character");
        assertThat(Api.json(api.get("/apps/shop/schedules")).size()).isZero();
    }

    @Test
    void configVarsThatWouldNotFitADynosEnvironmentAreRefusedWholeNamingTheTotalAndTheLimit() {
        StringBuilder body = new StringBuilder("{");
        String value = "x".repeat(32 * 1024);
        for (int i = 0; i < 9; i++) { // the finding was 90 of them, sent a few at a time; 9 are already too many
            body.append(i == 0 ? "" : ",").append("\"BIG_").append(i).append("\":\"").append(value).append('"');
        }
        Api.Response r = api.patch("/apps/shop/config-vars", body.append('}').toString());
        assertError(r, 422, "invalid_params");
        assertThat(message(r)).contains("294990 bytes (288.1 KiB)").contains("at most 262144 bytes (256.0 KiB)").contains("Nothing was changed");
        assertThat(api.get("/apps/shop/config-vars").body()).isEqualTo("{\"GREETING\":\"hello\"}");
    }

    @Test
    void theConfigMayGrowToTheLimitOneVarAtATimeAndNoFurther() {
        String value = "x".repeat(32 * 1024);
        int set = 0;
        Api.Response r;
        while ((r = api.patch("/apps/shop/config-vars", "{\"BIG_" + set + "\":\"" + value + "\"}")).status() == 200
                && set < 12) {
            set++;
        }
        assertError(r, 422, "invalid_params");
        assertThat(set).isEqualTo(7); // 7 × (32 KiB + "BIG_n=" and a NUL) + GREETING fit in 256 KiB, an eighth does not
        assertThat(Api.json(api.get("/apps/shop/config-vars")).size()).isEqualTo(8);
        assertThat(api.patch("/apps/shop/config-vars", "{\"BIG_0\":null}").status()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.1.2.3", "127.0.0.1", "127.1", "0x7f.0x1", "[::1]", "::1"})
    void anIpAddressIsNotACustomDomain(String address) {
        Api.Response r = api.post("/apps/shop/domains", "{\"hostname\":\"" + address + "\"}");
        assertError(r, 422, "invalid_params");
        assertThat(message(r)).contains("is an IP address").contains("must be a host name");
        assertThat(Api.json(api.get("/apps/shop/domains")).size()).isZero();
    }

    @Test
    void aHostNameWithDigitsIsStillADomain() {
        assertThat(api.post("/apps/shop/domains", "{\"hostname\":\"www1.example2.com\"}").status()).isEqualTo(201);
    }

    @Test
    void theAttachEndpointWithoutAWebSocketUpgradeSaysWhatItIs() {
        Api.Response r = api.get("/apps/shop/run");
        assertError(r, 426, "upgrade_required");
        assertThat(message(r)).contains("WebSocket").contains("slipway run -a shop");
    }

    private static void assertError(Api.Response r, int status, String id) {
        String shown = r.body().length() > 300 ? r.body().substring(0, 300) + "..." : r.body();
        assertThat(r.status()).as(shown).isEqualTo(status);
        JsonNode body = Api.json(r);
        assertThat(body.get("id").asText()).as(shown).isEqualTo(id);
        assertThat(body.get("message").asText()).isNotBlank();
    }

    private static String message(Api.Response r) {
        return Api.json(r).get("message").asText();
    }
}
