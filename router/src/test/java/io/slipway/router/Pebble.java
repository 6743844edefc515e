package io.slipway.router;

import io.slipway.controller.certs.TestCertificates;
import io.slipway.controller.testing.TestPlatform;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Let's Encrypt's ACME test server (Debian's {@code pebble}) on loopback, with its own HTTPS
 * certificate from a test CA, validating HTTP-01 on a port the test gives (the router's), and
 * {@code pebble-challtestsrv} as its DNS server, answering 127.0.0.1 for every name (and SERVFAIL
 * for the names a test breaks).
 */
final class Pebble implements AutoCloseable {
    static final Path PEBBLE = Path.of("/usr/bin/pebble");
    static final Path CHALLTESTSRV = Path.of("/usr/bin/pebble-challtestsrv");

    final Path dir;
    final int acmePort = TestPlatform.freePort();
    final int managementPort = TestPlatform.freePort();
    final int dnsPort = TestPlatform.freePort();
    final int dnsManagementPort = TestPlatform.freePort();
    private final TestCertificates ca = new TestCertificates("pebble");
    private final List<Process> processes = new ArrayList<>();
    private final HttpClient http;

    static boolean installed() {
        return Files.isExecutable(PEBBLE) && Files.isExecutable(CHALLTESTSRV);
    }

    Pebble() throws Exception {
        dir = Files.createTempDirectory("pebble-");
        TestCertificates.Issued wfe = ca.issue("localhost");
        Files.writeString(dir.resolve("cert.pem"), wfe.certPem());
        Files.writeString(dir.resolve("key.pem"), wfe.keyPem());
        Files.writeString(caBundle(), ca.caPem);
        http = HttpClient.newBuilder().sslContext(trusting(ca.ca)).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** What the controller is given as SLIPWAY_ACME_DIRECTORY. */
    String directory() {
        return "https://localhost:" + acmePort + "/dir";
    }

    /** What the controller is given as SLIPWAY_ACME_CA_BUNDLE: the CA of pebble's own HTTPS certificate. */
    Path caBundle() {
        return dir.resolve("ca.pem");
    }

    /** Starts both servers; pebble checks HTTP-01 challenges on {@code httpPort} of 127.0.0.1. */
    void start(int httpPort) throws IOException, InterruptedException {
        Files.writeString(dir.resolve("pebble.json"), """
                {"pebble": {"listenAddress": "127.0.0.1:%d", "managementListenAddress": "127.0.0.1:%d",
                  "certificate": "%s", "privateKey": "%s", "httpPort": %d, "tlsPort": %d,
                  "ocspResponderURL": "", "externalAccountBindingRequired": false}}
                """.formatted(acmePort, managementPort, dir.resolve("cert.pem"), dir.resolve("key.pem"), httpPort, TestPlatform.freePort()));
        processes.add(run(List.of(CHALLTESTSRV.toString(), "-dns01", "127.0.0.1:" + dnsPort, "-http01", "", "-https01", "",
                "-tlsalpn01", "", "-management", "127.0.0.1:" + dnsManagementPort, "-defaultIPv4", "127.0.0.1", "-defaultIPv6", ""),
                Map.of(), "challtestsrv.log"));
        processes.add(run(List.of(PEBBLE.toString(), "-config", dir.resolve("pebble.json").toString(), "-dnsserver", "127.0.0.1:" + dnsPort),
                // no random sleeps or rejected nonces; and every order validated afresh, so a renewal is checked like a first order
                Map.of("PEBBLE_VA_NOSLEEP", "1", "PEBBLE_WFE_NONCEREJECT", "0", "PEBBLE_AUTHZREUSE", "0"), "pebble.log"));
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (true) {
            try {
                if (get(directory()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("pebble did not answer on " + directory() + " within 15 s; see " + dir.resolve("pebble.log"), notYet);
                }
            }
            Thread.sleep(50);
        }
    }

    /** The root of the chain pebble issues under (a new one every run). */
    X509Certificate root() throws Exception {
        String pem = get("https://localhost:" + managementPort + "/roots/0").body();
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(pem.getBytes()));
    }

    /** From now on pebble's DNS answers SERVFAIL for {@code host}: its validation fails as for a name whose DNS is broken. */
    void breakDns(String host) throws Exception {
        dns("set-servfail", host);
    }

    /** Pebble's DNS answers 127.0.0.1 for {@code host} again. */
    void fixDns(String host) throws Exception {
        dns("clear-servfail", host);
    }

    private void dns(String verb, String host) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + dnsManagementPort + "/" + verb))
                .POST(HttpRequest.BodyPublishers.ofString("{\"host\":\"" + host + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("challtestsrv refused " + verb + ": " + r.statusCode() + " " + r.body());
        }
    }

    static SSLContext trusting(X509Certificate root) throws Exception {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        ks.setCertificateEntry("root", root);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private Process run(List<String> command, Map<String, String> env, String logName) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve(logName).toFile());
        pb.environment().putAll(env);
        return pb.start();
    }

    @Override
    public void close() {
        for (Process p : processes) {
            p.destroy();
        }
        for (Process p : processes) {
            try {
                if (!p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }
}
