package io.slipway.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The router as an HTTP client sees it, over a real socket on loopback. */
class RouterAnswersTest {
    static Router router;

    @BeforeAll
    static void start() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        router = Router.start(new RouterConfig("127.0.0.1", port, "localhost"));
    }

    @AfterAll
    static void stop() {
        router.close();
    }

    @Test
    void anUnknownAppGetsAClear404Page() throws IOException {
        String response = request("GET / HTTP/1.1\r\nHost: shop.localhost:8080\r\nConnection: close\r\n\r\n");
        assertThat(response).startsWith("HTTP/1.1 404");
        assertThat(response).containsIgnoringCase("X-Slipway-Error: no_such_app");
        assertThat(response).contains("No such app").contains("shop.localhost");
    }

    @Test
    void theRouterAnswersItsHealthOnTheBareDomain() throws IOException {
        assertThat(request("GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 200").contains("\"status\":\"ok\"");
        assertThat(request("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 200");
    }

    @Test
    void anAppsOwnHealthzPathIsNotTheRouters() throws IOException {
        assertThat(request("GET /healthz HTTP/1.1\r\nHost: shop.localhost\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 404");
    }

    @Test
    void aMalformedHostIsABadRequest() throws IOException {
        assertThat(request("GET / HTTP/1.1\r\nHost: bad host!\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 400");
    }

    @Test
    void hostNamesParseWithoutPortAndCase() {
        assertThat(HostName.parse("Shop.LocalHost:8080").appUnder("localhost")).isEqualTo("shop");
        assertThat(HostName.parse("a.b.localhost").appUnder("localhost")).isNull();
        assertThat(HostName.parse("")).isNull();
    }

    private static String request(String raw) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), router.port())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(raw.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
