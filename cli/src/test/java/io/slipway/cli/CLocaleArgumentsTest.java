package io.slipway.cli;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Under a C/POSIX locale the JVM decodes arguments as ASCII, so {@code config:set G=héllo} would
 * store {@code h??llo}. A real {@code slipway} process (not the in-process seam) must still send
 * the UTF-8 the user typed.
 */
class CLocaleArgumentsTest {
    private HttpServer server;
    private final AtomicReference<String> received = new AtomicReference<>();

    @BeforeEach
    void startStandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            received.set(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] reply = received.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, reply.length);
            exchange.getResponseBody().write(reply);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopStandIn() {
        server.stop(0);
    }

    @Test
    void nonAsciiArgumentsReachThePlatformAsTypedUnderTheCLocale() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "io.slipway.cli.Main", "config:set", "-a", "shop", "GREETING=héllo wörld ✓")
                .redirectErrorStream(true);
        builder.environment().put("LC_ALL", "C");
        builder.environment().put("LANG", "C");
        builder.environment().put("SLIPWAY_API_URL", "http://127.0.0.1:" + server.getAddress().getPort());
        builder.environment().put("SLIPWAY_API_TOKEN", "tok");
        Process cli = builder.start();
        String output = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(cli.waitFor()).as(output).isZero();
        assertThat(received.get()).isEqualTo("{\"GREETING\":\"héllo wörld ✓\"}");
        assertThat(output).contains("GREETING: héllo wörld ✓");
    }
}
