package io.slipway.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.controller.testing.Api;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Automatic certificates against a real ACME server: Debian's pebble on loopback, validating
 * HTTP-01 at the router, a real controller ordering through acme4j, the certificate then checked
 * by a real TLS client by SNI through the router against pebble's own root. Renewal and failure go
 * through the controller's Quartz timer (checking every second here).
 */
class AcmeTest {
    static Pebble pebble;
    static RoutedPlatform p;
    static Router router;
    static StandInDyno web;
    static X509Certificate pebbleRoot;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(Pebble.installed(), "pebble is not installed (/usr/bin/pebble and /usr/bin/pebble-challtestsrv, "
                + "Debian's package 'pebble'; .ci/run installs it): the ACME tests need a real ACME server");
        pebble = new Pebble();
        p = RoutedPlatform.start(Map.of("SLIPWAY_ACME_DIRECTORY", pebble.directory(),
                "SLIPWAY_ACME_CA_BUNDLE", pebble.caBundle().toString(), "SLIPWAY_ACME_CHECK_EVERY", "1s"));
        router = p.startTlsRouter();
        pebble.start(router.port());
        pebbleRoot = pebble.root();
        web = p.dyno("web.1");
    }

    @AfterAll
    static void stop() {
        if (p != null) {
            p.close();
        }
        if (pebble != null) {
            pebble.close();
        }
    }

    @Test
    void enablingGetsEachCustomDomainACertificateFromTheAcmeServerServedBySni() throws Exception {
        app("shop", "www.shop.test");
        long enabled = System.nanoTime();
        Api.Response r = p.api.post("/apps/shop/certs/auto", "");
        assertThat(r.status()).isEqualTo(200);
        assertThat(domain(Api.json(r), "www.shop.test").get("status").asText()).isIn("pending", "ok");

        X509Certificate served = awaitServedByPebble("www.shop.test", Duration.ofSeconds(60));
        System.out.printf("certs:auto:enable -> certificate from pebble served by the router in %d ms%n",
                (System.nanoTime() - enabled) / 1_000_000);
        assertThat(served.getIssuerX500Principal().getName()).contains("Pebble");
        assertThat(served.getSubjectAlternativeNames()).anySatisfy(san -> assertThat(san.get(1)).isEqualTo("www.shop.test"));
        assertThat(getOverTls("www.shop.test")).startsWith("HTTP/1.1 200");

        JsonNode status = Api.json(p.api.get("/apps/shop/certs/auto"));
        assertThat(status.get("enabled").asBoolean()).isTrue();
        JsonNode d = domain(status, "www.shop.test");
        assertThat(d.get("status").asText()).isEqualTo("ok");
        assertThat(Instant.parse(d.get("expires").asText())).isEqualTo(served.getNotAfter().toInstant());
        assertThat(Instant.parse(d.get("next_try").asText())).isEqualTo(served.getNotAfter().toInstant().minus(Duration.ofDays(30)));
        JsonNode listed = Api.json(p.api.get("/apps/shop/certs"));
        assertThat(listed.findValuesAsText("source")).contains("auto");
        assertThat(p.api.get("/apps/shop/log-stream?lines=50").body()).contains("Certificate for www.shop.test issued by");
    }

    @Test
    void aCertificateNearItsExpiryIsRenewedByTheTimerAndTheNewOneServed() throws Exception {
        app("renew", "www.renew.test");
        assertThat(p.api.post("/apps/renew/certs/auto", "").status()).isEqualTo(200);
        X509Certificate first = awaitServedByPebble("www.renew.test", Duration.ofSeconds(60));

        nearExpiry("renew");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> !served("www.renew.test").getSerialNumber().equals(first.getSerialNumber()));
        X509Certificate renewed = served("www.renew.test");
        assertThat(renewed.getIssuerX500Principal().getName()).contains("Pebble");
        JsonNode d = domain(Api.json(p.api.get("/apps/renew/certs/auto")), "www.renew.test");
        assertThat(d.get("status").asText()).isEqualTo("ok");
        assertThat(Instant.parse(d.get("expires").asText())).isEqualTo(renewed.getNotAfter().toInstant());
        assertThat(p.api.get("/apps/renew/certs").body()).doesNotContain("\"source\":\"uploaded\"");
        assertThat(Api.json(p.api.get("/apps/renew/certs"))).hasSize(1); // the old one replaced, not kept beside
    }

    @Test
    void aRenewalThatFailsShowsTheErrorEverywhereAndTheOldCertificateKeepsServing() throws Exception {
        app("flaky", "www.flaky.test");
        assertThat(p.api.post("/apps/flaky/certs/auto", "").status()).isEqualTo(200);
        X509Certificate first = awaitServedByPebble("www.flaky.test", Duration.ofSeconds(60));

        pebble.breakDns("www.flaky.test"); // the name no longer leads pebble to this router
        nearExpiry("flaky");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> domain(Api.json(p.api.get("/apps/flaky/certs/auto")), "www.flaky.test").get("status").asText().equals("failing"));
        JsonNode d = domain(Api.json(p.api.get("/apps/flaky/certs/auto")), "www.flaky.test");
        assertThat(d.get("last_error").asText()).contains("could not resolve").contains("www.flaky.test"); // pebble's words for a broken name
        assertThat(d.get("failures").asInt()).isEqualTo(1);
        assertThat(Instant.parse(d.get("next_try").asText())).isAfter(Instant.now().plus(Duration.ofMinutes(4)));
        assertThat(p.api.get("/apps/flaky/log-stream?lines=50").body())
                .contains("Certificate for www.flaky.test failed:").contains("keeps serving");
        // the certificate it had is still the one handshakes get
        assertThat(served("www.flaky.test").getSerialNumber()).isEqualTo(first.getSerialNumber());
        assertThat(getOverTls("www.flaky.test")).startsWith("HTTP/1.1 200");

        // DNS fixed, certs:auto:refresh orders at once instead of after the backoff
        pebble.fixDns("www.flaky.test");
        assertThat(p.api.post("/apps/flaky/certs/auto/refresh", "").status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> !served("www.flaky.test").getSerialNumber().equals(first.getSerialNumber()));
        await().atMost(Duration.ofSeconds(5)).until(() ->
                domain(Api.json(p.api.get("/apps/flaky/certs/auto")), "www.flaky.test").get("status").asText().equals("ok"));
    }

    // ---- helpers ------------------------------------------------------------------------------------

    private static void app(String name, String domain) {
        p.createApp(name);
        p.addDomain(name, domain);
        p.addWebDyno(name, 1, web.port());
    }

    /** As if its certificate expired in 10 days: the renewal timer, which reads expiry from the certificates table, takes it up. */
    private static void nearExpiry(String app) {
        p.sql("update certificates set not_after = now() + interval '10 days' where source = 'auto' "
                + "and app_id = (select id from apps where name = '" + app + "')");
    }

    private static JsonNode domain(JsonNode status, String host) {
        for (JsonNode d : status.get("domains")) {
            if (d.get("hostname").asText().equals(host)) {
                return d;
            }
        }
        throw new AssertionError(host + " not in " + status);
    }

    private static X509Certificate awaitServedByPebble(String host, Duration atMost) throws Exception {
        await().atMost(atMost).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(() -> served(host) != null);
        return served(host);
    }

    /** The router's certificate for {@code host} by SNI, as a client trusting only pebble's root and checking the name sees it. */
    private static X509Certificate served(String host) throws Exception {
        try (SSLSocket s = handshake(host)) {
            return (X509Certificate) s.getSession().getPeerCertificates()[0];
        }
    }

    private static SSLSocket handshake(String host) throws Exception {
        SSLSocket s = (SSLSocket) Pebble.trusting(pebbleRoot).getSocketFactory().createSocket("127.0.0.1", router.tlsPort());
        SSLParameters params = s.getSSLParameters();
        params.setServerNames(List.of(new SNIHostName(host)));
        params.setEndpointIdentificationAlgorithm("HTTPS"); // the name is checked against the SNI name
        s.setSSLParameters(params);
        s.setSoTimeout(5000);
        s.startHandshake();
        return s;
    }

    private static String getOverTls(String host) throws Exception {
        try (SSLSocket s = handshake(host)) {
            s.getOutputStream().write(("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        }
    }
}
