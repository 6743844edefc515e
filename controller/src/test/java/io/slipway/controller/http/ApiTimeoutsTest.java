package io.slipway.controller.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.controller.testing.Api;
import io.slipway.controller.testing.TestPlatform;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Clients that send half a request, or nothing, are cut after the API's timeouts (short ones here:
 * 2 s to send a request, 3 s idle); a log tail that stays quiet for longer is not.
 */
class ApiTimeoutsTest {
    static TestPlatform platform;
    static Api api;
    static int port;

    @BeforeAll
    static void start() {
        platform = TestPlatform.start(Map.of("SLIPWAY_API_PARSE_TIMEOUT", "2s", "SLIPWAY_API_IDLE_TIMEOUT", "3s"));
        api = Api.of(platform);
        port = URI.create(platform.apiUrl()).getPort();
        assertThat(api.post("/apps", "{\"name\":\"shop\"}").status()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void halfSentRequestHeadsAreClosedAfterTheParseTimeout() throws Exception {
        List<Socket> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                Socket s = connect();
                s.getOutputStream().write(("GET /apps HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow-" + i + ": ")
                        .getBytes(StandardCharsets.US_ASCII));
                clients.add(s);
            }
            long started = System.nanoTime();
            for (Socket s : clients) {
                assertThat(readUntilClosed(s)).as("no answer to a request that never ended").doesNotContain("200 OK");
            }
            assertThat((System.nanoTime() - started) / 1e9).isBetween(1.0, 8.0);
        } finally {
            for (Socket s : clients) {
                s.close();
            }
        }
        assertThat(api.get("/apps").status()).isEqualTo(200);
    }

    @Test
    void aConnectionThatSendsNothingIsClosedAfterTheIdleTimeout() throws Exception {
        try (Socket s = connect()) {
            long started = System.nanoTime();
            assertThat(readUntilClosed(s)).isEmpty();
            assertThat((System.nanoTime() - started) / 1e9).isBetween(2.0, 9.0);
        }
    }

    @Test
    void aHalfSentBodyIsAnsweredWith408AfterTheParseTimeout() throws Exception {
        try (Socket s = connect()) {
            s.getOutputStream().write(("PATCH /apps/shop/config-vars HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                    + platform.adminToken() + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"GREETING\":")
                    .getBytes(StandardCharsets.US_ASCII));
            String answer = readUntilClosed(s);
            assertThat(answer).startsWith("HTTP/1.1 408").contains("\"id\":\"request_timeout\"")
                    .contains("did not arrive within 2 s");
        }
        assertThat(api.get("/apps/shop/config-vars").body()).isEqualTo("{}");
    }

    @Test
    void aQuietLogTailOutlivesBothTimeouts() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<InputStream> tail = http.send(HttpRequest.newBuilder(URI.create(platform.apiUrl()
                        + "/apps/shop/log-stream?tail=true&lines=0"))
                .header("Authorization", "Bearer " + platform.adminToken()).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(tail.statusCode()).isEqualTo(200);
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(tail.body(), StandardCharsets.UTF_8))) {
            CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> {
                try {
                    return lines.readLine();
                } catch (IOException e) {
                    return "failed: " + e;
                }
            });
            Thread.sleep(5000); // longer than the parse and the idle timeout, with nothing written
            assertThat(api.patch("/apps/shop/config-vars", "{\"AFTER_A_WHILE\":\"yes\"}").status()).isEqualTo(200);
            assertThat(first.get(10, TimeUnit.SECONDS)).contains("Set AFTER_A_WHILE config vars");
        }
        api.patch("/apps/shop/config-vars", "{\"AFTER_A_WHILE\":null}");
    }

    private static Socket connect() throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
        s.setSoTimeout(15_000);
        return s;
    }

    /** Everything the server sends until it closes the connection; fails if it is still open after 15 s. */
    private static String readUntilClosed(Socket s) throws IOException {
        StringBuilder got = new StringBuilder();
        byte[] buf = new byte[4096];
        try {
            for (int n; (n = s.getInputStream().read(buf)) >= 0; ) {
                got.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the API kept the connection open for 15 s; it had sent: " + got);
        } catch (java.net.SocketException reset) {
            // a reset is a close too
        }
        return got.toString();
    }
}
