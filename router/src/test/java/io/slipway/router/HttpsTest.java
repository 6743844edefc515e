package io.slipway.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slipway.api.Json;
import io.slipway.controller.certs.TestCertificates;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * HTTPS at a real router on a real controller and PostgreSQL: certificates chosen by SNI, the
 * platform's self-signed one for every other name, HTTP/2 when curl offers it, the forwarding
 * headers a dyno sees, a certificate added through the API served within a second without
 * dropping a connection that is open, and the per-app redirect to HTTPS.
 */
class HttpsTest {
    static RoutedPlatform p;
    static Router router;
    static StandInDyno web;
    static final TestCertificates ca = new TestCertificates("router");

    @BeforeAll
    static void start() {
        startWith(TlsSettings.Engine.AUTO); // BoringSSL wherever netty-tcnative loads, as on Linux x86-64
    }

    static void startWith(TlsSettings.Engine engine) {
        p = RoutedPlatform.start();
        router = p.startTlsRouter(engine);
        web = p.dyno("web.1");
        p.createApp("shop");
        p.addDomain("shop", "www.shop.test");
        p.addWebDyno("shop", 1, web.port());
        p.createApp("plain");
        p.addWebDyno("plain", 1, web.port());
    }

    @AfterAll
    static void stop() {
        p.close();
    }

    @Test
    void anAppUnderTheDomainGetsThePlatformCertificateOverHttp2AndItsDynoSeesHttps() throws Exception {
        Path platformCert = p.platform.home().resolve(PlatformCertificate.CERT);
        assertThat(platformCert).exists();
        assertThat(served("plain.localhost").getSubjectX500Principal().getName()).contains("CN=*.localhost");
        Curl r = curl("plain.localhost", "/hello", null, "--http2");
        assertThat(r.code()).isEqualTo(200);
        assertThat(r.httpVersion()).isEqualTo("2");
        StandInDyno.Seen seen = web.seen.getLast();
        assertThat(seen.path()).isEqualTo("/hello");
        assertThat(seen.header("X-Forwarded-Proto")).isEqualTo("https");
        assertThat(seen.header("X-Forwarded-Port")).isEqualTo(Integer.toString(router.tlsPort()));
    }

    @Test
    void http11IsServedWhenTheClientOffersOnlyThat() throws Exception {
        Curl r = curl("plain.localhost", "/", null, "--http1.1");
        assertThat(r.code()).isEqualTo(200);
        assertThat(r.httpVersion()).isEqualTo("1.1");
    }

    @Test
    void anUploadedCertificateIsServedBySniWithinASecondAndOtherNamesKeepThePlatformOne() throws Exception {
        TestCertificates.Issued cert = ca.issue("www.shop.test");
        long added = System.nanoTime();
        addCertificate(cert);
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> served("www.shop.test").equals(cert.cert()));
        System.out.printf("certificate added -> served by the router in %d ms%n", (System.nanoTime() - added) / 1_000_000);

        assertThat(served("nobody.example").getSubjectX500Principal().getName()).contains("*.localhost");
        assertThat(served(null).getSubjectX500Principal().getName()).contains("*.localhost");
        Path caFile = Files.createTempFile("test-ca", ".pem");
        Files.writeString(caFile, ca.caPem);
        Curl r = curl("www.shop.test", "/", caFile, "--http2");
        assertThat(r.code()).isEqualTo(200);
        assertThat(r.httpVersion()).isEqualTo("2");
        Files.delete(caFile);
    }

    @Test
    void aReplacedCertificateIsServedToNewHandshakesWhileAnOpenConnectionKeepsWorking() throws Exception {
        TestCertificates.Issued first = ca.issue("www.shop.test");
        addCertificate(first);
        await().atMost(Duration.ofSeconds(1)).until(() -> served("www.shop.test").equals(first.cert()));
        try (SSLSocket open = handshake("www.shop.test")) {
            assertThat(getOn(open, "www.shop.test", "/before")).startsWith("HTTP/1.1 200");

            TestCertificates.Issued second = ca.issue("www.shop.test");
            addCertificate(second);
            await().atMost(Duration.ofSeconds(1)).until(() -> served("www.shop.test").equals(second.cert()));

            assertThat(getOn(open, "www.shop.test", "/after")).startsWith("HTTP/1.1 200");
            assertThat(open.getSession().getPeerCertificates()[0]).isEqualTo(first.cert());
        }
    }

    @Test
    void anAppAskingForHttpsOnlyRedirectsPlainHttpWith308AndSendsHsts() throws Exception {
        p.createApp("strict");
        p.addWebDyno("strict", 1, web.port());
        assertThat(p.api.send("PUT", "/apps/strict/certs/redirect", "{\"force_https\":true}").status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(1)).until(() -> p.send(RoutedPlatform.request(router, "strict.localhost", "/a?b=1").GET().build())
                .statusCode() == 308);
        var plain = p.send(RoutedPlatform.request(router, "strict.localhost", "/a?b=1").GET().build());
        assertThat(plain.headers().firstValue("Location")).hasValue("https://strict.localhost:" + router.tlsPort() + "/a?b=1");
        Curl secure = curl("strict.localhost", "/", null, "--http1.1");
        assertThat(secure.code()).isEqualTo(200);
        assertThat(secure.headers()).containsIgnoringCase("strict-transport-security: max-age=31536000");
        // another app's plain HTTP is untouched
        assertThat(p.get("plain.localhost", "/").statusCode()).isEqualTo(200);
    }

    // ---- clients ----------------------------------------------------------------------------------

    private static void addCertificate(TestCertificates.Issued cert) throws Exception {
        var r = p.api.post("/apps/shop/certs", Json.mapper().writeValueAsString(
                Map.of("certificate", cert.chainPem(), "private_key", cert.keyPem())));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
    }

    record Curl(int code, String httpVersion, String headers) {}

    /** A real TLS client: curl, verifying the router's certificate for {@code host} against {@code caFile}. */
    private static Curl curl(String host, String path, Path caFile, String version) throws Exception {
        Path headers = Files.createTempFile("curl-headers", ".txt");
        // curl, like browsers, refuses a wildcard over a single label (*.localhost): the platform certificate of
        // a platform on 'localhost' is checked by served() instead, and curl told not to verify it (caFile null).
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", version, caFile == null ? "--insecure" : "--cacert",
                caFile == null ? "--no-progress-meter" : caFile.toString(),
                "--resolve", host + ":" + router.tlsPort() + ":127.0.0.1", "-D", headers.toString(), "-o", "/dev/null",
                "-w", "%{http_code} %{http_version}", "https://" + host + ":" + router.tlsPort() + path));
        Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(proc.waitFor()).as(out).isZero();
        String[] parts = out.split(" ");
        String h = Files.readString(headers);
        Files.delete(headers);
        return new Curl(Integer.parseInt(parts[0]), parts[1], h);
    }

    /** The leaf certificate the router presents to a client asking for {@code host} by SNI (null: no SNI). */
    private static X509Certificate served(String host) throws Exception {
        try (SSLSocket s = handshake(host)) {
            return (X509Certificate) s.getSession().getPeerCertificates()[0];
        }
    }

    private static SSLSocket handshake(String host) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new TrustEverything()}, null);
        SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", router.tlsPort());
        s.setSoTimeout(5000);
        SSLParameters params = s.getSSLParameters();
        params.setServerNames(host == null ? List.of() : List.of(new SNIHostName(host)));
        s.setSSLParameters(params);
        s.startHandshake();
        return s;
    }

    /** One keep-alive HTTP/1.1 request on an open TLS connection; the status line and headers back, body read and dropped. */
    private static String getOn(SSLSocket s, String host, String path) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
        StringBuilder head = new StringBuilder();
        int length = 0;
        for (String line; (line = in.readLine()) != null && !line.isEmpty(); ) {
            head.append(line).append('\n');
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        in.skip(length);
        return head.toString();
    }

    /** The test looks at which certificate comes, not whether a CA vouches for it (curl checks that). */
    private static final class TrustEverything implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
