package io.slipway.controller;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.api.Json;
import io.slipway.controller.testing.Api;
import io.slipway.controller.testing.TestPlatform;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every refusal is one JSON shape with the right status, and leaves what is stored as it was. */
class ApiRefusesBadInputTest {
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
    @ValueSource(strings = {"Bad_Name!", "1shop", "-shop", "shop-", "sh--op", "UPPER",
            "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcd"})
    void appNamesThatAreNotDnsLabelsAreRefused(String name) {
        Api.Response r = api.post("/apps", "{\"name\":\"" + name + "\"}");
        assertError(r, 422, "invalid_params");
        assertThat(message(r)).contains("app name");
        assertThat(appNames()).containsExactly("shop");
    }

    @ParameterizedTest
    @ValueSource(strings = {"slipway", "www", "api", "git"})
    void reservedNamesAreRefused(String name) {
        Api.Response r = api.post("/apps", "{\"name\":\"" + name + "\"}");
        assertError(r, 422, "invalid_params");
        assertThat(message(r)).contains("reserved");
    }

    @Test
    void aTakenNameIsAConflictAndTheExistingAppKeepsItsConfig() {
        Api.Response r = api.post("/apps", "{\"name\":\"shop\"}");
        assertError(r, 409, "conflict");
        assertThat(message(r)).contains("already taken");
        assertThat(api.get("/apps/shop/config-vars").body()).isEqualTo("{\"GREETING\":\"hello\"}");
    }

    @Test
    void anUnknownAppIsNotFound() {
        assertError(api.get("/apps/nosuch"), 404, "not_found");
        assertError(api.get("/apps/nosuch/config-vars"), 404, "not_found");
        assertError(api.patch("/apps/nosuch/config-vars", "{\"A\":\"b\"}"), 404, "not_found");
        assertError(api.delete("/apps/nosuch"), 404, "not_found");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1BAD", "A-B", "WITH SPACE", "é"})
    void configKeysThatAreNotShellIdentifiersAreRefusedWhole(String key) {
        Api.Response r = api.patch("/apps/shop/config-vars", "{\"OK\":\"fine\",\"" + key + "\":\"x\"}");
        assertError(r, 422, "invalid_params");
        assertThat(message(r)).contains("shell identifier");
        assertThat(api.get("/apps/shop/config-vars").body()).isEqualTo("{\"GREETING\":\"hello\"}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"PORT", "DYNO", "SLIPWAY_APP", "SLIPWAY_ANYTHING"})
    void platformOwnedKeysAreRefused(String key) {
        Api.Response r = api.patch("/apps/shop/config-vars", "{\"" + key + "\":\"x\"}");
        assertError(r, 422, "invalid_params");
        assertThat(message(r)).contains("set by the platform");
        assertThat(api.get("/apps/shop/config-vars").body()).isEqualTo("{\"GREETING\":\"hello\"}");
    }

    @Test
    void aValueOver32KiBIsRefusedAndOneAtTheLimitIsKept() {
        Api.Response tooBig = api.patch("/apps/shop/config-vars", "{\"BIG\":\"" + "x".repeat(32 * 1024 + 1) + "\"}");
        assertError(tooBig, 422, "invalid_params");
        assertThat(message(tooBig)).contains("32 KiB");
        Api.Response atLimit = api.patch("/apps/shop/config-vars", "{\"BIG\":\"" + "x".repeat(32 * 1024) + "\"}");
        assertThat(atLimit.status()).isEqualTo(200);
        assertThat(json(api.get("/apps/shop/config-vars")).get("BIG").textValue()).hasSize(32 * 1024);
    }

    @Test
    void aNonStringValueIsRefused() {
        assertError(api.patch("/apps/shop/config-vars", "{\"N\":42}"), 422, "invalid_params");
    }

    @Test
    void aBodyThatIsNotJsonIsABadRequest() {
        assertError(api.patch("/apps/shop/config-vars", "GREETING=bye"), 400, "bad_request");
        assertError(api.patch("/apps/shop/config-vars", "[\"GREETING\"]"), 400, "bad_request");
        assertError(api.post("/apps", "{\"name\":"), 400, "bad_request");
        assertThat(api.get("/apps/shop/config-vars").body()).isEqualTo("{\"GREETING\":\"hello\"}");
    }

    @Test
    void aBodyOver1MiBIsRefusedWith413() {
        byte[] big = new byte[(1 << 20) + 10];
        Arrays.fill(big, (byte) ' ');
        big[0] = '{';
        big[big.length - 1] = '}';
        assertError(api.sendBytes("PATCH", "/apps/shop/config-vars", big), 413, "payload_too_large");
        assertThat(api.get("/apps/shop/config-vars").body()).isEqualTo("{\"GREETING\":\"hello\"}");
    }

    @Test
    void aMissingOrWrongTokenIs401AndTheMessageTellsNothingAboutTokens() {
        Api.Response missing = api.withToken(null).get("/apps");
        Api.Response wrong = api.withToken("slp_not-a-real-token").patch("/apps/shop/config-vars", "{\"GREETING\":\"pwned\"}");
        assertError(missing, 401, "unauthorized");
        assertError(wrong, 401, "unauthorized");
        assertThat(message(wrong)).isEqualTo(message(missing)).doesNotContain(platform.adminToken().substring(0, 8));
        assertThat(missing.wwwAuthenticate()).startsWith("Bearer");
        assertThat(api.get("/apps/shop/config-vars").body()).isEqualTo("{\"GREETING\":\"hello\"}");
    }

    @Test
    void anUnknownRouteIsAJson404() {
        assertError(api.get("/nope"), 404, "not_found");
        assertThat(message(api.get("/nope"))).contains("GET /nope");
    }

    @Test
    void aWrongMethodIs405() {
        assertError(api.send("PUT", "/apps", "{}"), 405, "method_not_allowed");
        assertError(api.post("/apps/shop/config-vars", "{}"), 405, "method_not_allowed");
    }

    @Test
    void theHealthCheckNeedsNoToken() {
        Api.Response r = api.withToken(null).get("/healthz");
        assertThat(r.status()).isEqualTo(200);
        assertThat(json(r).get("database").asText()).isEqualTo("ok");
    }

    @Test
    void everyAnswerCarriesARequestId() {
        Api.Response r = api.get("/apps/nosuch");
        assertThat(r.requestId()).isNotBlank();
        assertThat(json(r).get("request_id").asText()).isEqualTo(r.requestId());
    }

    private static void assertError(Api.Response r, int status, String id) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        JsonNode body = json(r);
        assertThat(body.get("id").asText()).isEqualTo(id);
        assertThat(body.get("message").asText()).isNotBlank();
    }

    private static String message(Api.Response r) {
        return json(r).get("message").asText();
    }

    private static java.util.List<String> appNames() {
        java.util.List<String> names = new java.util.ArrayList<>();
        json(api.get("/apps")).forEach(a -> names.add(a.get("name").asText()));
        return names;
    }

    private static JsonNode json(Api.Response r) {
        try {
            return Json.mapper().readTree(r.body());
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + r.body(), e);
        }
    }
}
