package io.slipway.controller.certs;

import io.slipway.keys.CertKey;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.api.Json;
import io.slipway.controller.testing.Api;
import io.slipway.controller.testing.TestPlatform;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code certs:add} through the real API on a real PostgreSQL: a good certificate is stored (its
 * key sealed, not in clear) and listed; each bad upload is a 422 that says what was wrong, and the
 * certificate the app had stays.
 */
class CertificatesApiTest {
    static TestPlatform platform;
    static Api api;
    static final TestCertificates ca = new TestCertificates("api");

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
    void shopWithADomain() {
        api.delete("/apps/shop");
        assertThat(api.post("/apps", "{\"name\":\"shop\"}").status()).isEqualTo(201);
        assertThat(api.post("/apps/shop/domains", "{\"hostname\":\"www.shop.test\"}").status()).isEqualTo(201);
    }

    static Api.Response add(String cert, String key) {
        try {
            return api.post("/apps/shop/certs", Json.mapper().writeValueAsString(Map.of("certificate", cert, "private_key", key)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aGoodCertificateIsStoredWithItsKeySealedAndListed() throws Exception {
        TestCertificates.Issued c = ca.issue("www.shop.test");
        Api.Response r = add(c.chainPem(), c.keyPem());
        assertThat(r.status()).as(r.body()).isEqualTo(201);

        JsonNode list = Api.json(api.get("/apps/shop/certs"));
        assertThat(list).hasSize(1);
        assertThat(list.get(0).get("domains").get(0).asText()).isEqualTo("www.shop.test");
        assertThat(list.get(0).get("issuer").asText()).contains("api test CA");
        assertThat(list.get(0).get("source").asText()).isEqualTo("uploaded");
        assertThat(Instant.parse(list.get(0).get("not_after").asText())).isAfter(Instant.now().plus(Duration.ofDays(29)));

        var keyFile = platform.home().resolve(CertKey.FILE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
        String stored;
        var url = platform.database();
        try (var db = java.sql.DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
             var rs = db.createStatement().executeQuery("select encode(key_sealed, 'base64') from certificates c join apps a on a.id = c.app_id where a.name = 'shop'")) {
            rs.next();
            stored = rs.getString(1);
        }
        String der = java.util.Base64.getEncoder().encodeToString(c.keys().getPrivate().getEncoded());
        assertThat(stored.replace("\n", "")).doesNotContain(der.substring(20, 60));
    }

    @Test
    void aSecondControllerWithAKeyOfItsOwnIsToldItDoesNotOpenTheStoredKeysAndOneWithACopyIs() throws Exception {
        TestCertificates.Issued c = ca.issue("www.shop.test");
        assertThat(add(c.chainPem(), c.keyPem()).status()).isEqualTo(201);
        var otherHome = Files.createTempDirectory("slipway-second-home-");
        try (var db = io.slipway.controller.db.Database.open(platform.database(), Duration.ofSeconds(5), Duration.ofSeconds(5))) {
            var ownKey = new CertService(db, CertKey.underHome(otherHome), "localhost", java.time.Clock.systemUTC());
            assertThat(ownKey.keyOpensStored(otherHome.resolve(CertKey.FILE))).isFalse();
            Files.delete(otherHome.resolve(CertKey.FILE));
            Files.copy(platform.home().resolve(CertKey.FILE), otherHome.resolve(CertKey.FILE));
            var copied = new CertService(db, CertKey.underHome(otherHome), "localhost", java.time.Clock.systemUTC());
            assertThat(copied.keyOpensStored(otherHome.resolve(CertKey.FILE))).isTrue();
        } finally {
            Files.deleteIfExists(otherHome.resolve(CertKey.FILE));
            Files.deleteIfExists(otherHome);
        }
    }

    @Test
    void removingTheCertificateListsNoneAndASecondRemoveIs404() {
        TestCertificates.Issued c = ca.issue("www.shop.test");
        assertThat(add(c.chainPem(), c.keyPem()).status()).isEqualTo(201);
        assertThat(api.delete("/apps/shop/certs").status()).isEqualTo(200);
        assertThat(Api.json(api.get("/apps/shop/certs"))).isEmpty();
        assertThat(api.delete("/apps/shop/certs").status()).isEqualTo(404);
    }

    @Test
    void aKeyOfAnotherCertificateIsRefusedAndTheOldCertificateStays() {
        TestCertificates.Issued good = ca.issue("www.shop.test");
        assertThat(add(good.chainPem(), good.keyPem()).status()).isEqualTo(201);
        String before = api.get("/apps/shop/certs").body();
        TestCertificates.Issued other = ca.issue("www.shop.test");
        assertInvalid(add(other.chainPem(), good.keyPem()), "does not match the certificate");
        assertThat(api.get("/apps/shop/certs").body()).isEqualTo(before);
    }

    @Test
    void anExpiredCertificateIsRefused() {
        TestCertificates.Issued c = ca.issue(Instant.now().minus(Duration.ofDays(60)), Instant.now().minus(Duration.ofDays(1)), "www.shop.test");
        assertInvalid(add(c.chainPem(), c.keyPem()), "expired on");
    }

    @Test
    void aCertificateNotValidYetIsRefused() {
        TestCertificates.Issued c = ca.issue(Instant.now().plus(Duration.ofDays(2)), Instant.now().plus(Duration.ofDays(60)), "www.shop.test");
        assertInvalid(add(c.chainPem(), c.keyPem()), "not valid yet");
    }

    @Test
    void aCertificateForNoneOfTheAppsNamesSaysWhichItCovers() {
        TestCertificates.Issued c = ca.issue("api.elsewhere.test", "*.elsewhere.test");
        Api.Response r = add(c.chainPem(), c.keyPem());
        assertInvalid(r, "covers api.elsewhere.test, *.elsewhere.test, none of the app's names");
        assertThat(r.body()).contains("www.shop.test").contains("domains:add");
    }

    @Test
    void aWildcardCoveringTheCustomDomainIsTaken() {
        TestCertificates.Issued c = ca.issue("*.shop.test");
        assertThat(add(c.chainPem(), c.keyPem()).status()).isEqualTo(201);
    }

    @Test
    void garbageOrAKeyInTheCertificateSlotIsRefused() {
        TestCertificates.Issued c = ca.issue("www.shop.test");
        assertInvalid(add("hello", c.keyPem()), "not PEM");
        assertInvalid(add(c.keyPem(), c.keyPem()), "private key was given where the certificate goes");
        assertInvalid(add(c.chainPem(), c.certPem()), "certificate was given where the private key goes");
        assertInvalid(add(c.chainPem(), "garbage"), "private key is not PEM");
        assertInvalid(add("", c.keyPem()), "no certificate given");
    }

    @Test
    void anEncryptedKeyIsRefusedWithHowToDecryptIt() {
        TestCertificates.Issued c = ca.issue("www.shop.test");
        assertInvalid(add(c.chainPem(), TestCertificates.encryptedPem(c.keys())), "encrypted with a passphrase");
    }

    @Test
    void aChainWithoutItsIntermediateIsRefusedAsIncomplete() {
        TestCertificates.Issued c = ca.issue("www.shop.test");
        assertInvalid(add(c.certPem(), c.keyPem()), "chain is incomplete");
    }

    @Test
    void theRedirectSettingIsKeptPerApp() {
        assertThat(Api.json(api.get("/apps/shop/certs/redirect")).get("force_https").asBoolean()).isFalse();
        assertThat(api.send("PUT", "/apps/shop/certs/redirect", "{\"force_https\":true}").status()).isEqualTo(200);
        assertThat(Api.json(api.get("/apps/shop/certs/redirect")).get("force_https").asBoolean()).isTrue();
    }

    private static void assertInvalid(Api.Response r, String says) {
        assertThat(r.status()).as(r.body()).isEqualTo(422);
        assertThat(Api.json(r).get("message").asText()).contains(says);
    }
}
