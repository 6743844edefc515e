package io.slipway.cli;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code slipway logs --tail} against a stand-in that streams: each line reaches stdout while the
 * stream is still open, Ctrl-C ends the tail with exit 0, and a tail the platform ends says so.
 */
class LogsTailTest {
    @TempDir
    Path home;

    private HttpServer server;
    private final CountDownLatch streamOpen = new CountDownLatch(1);
    private final CountDownLatch clientGone = new CountDownLatch(1);
    private volatile OutputStream stream;

    @BeforeEach
    void streamingStandIn() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/apps/shop/log-stream", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(200, 0); // chunked: open until the client goes
            stream = exchange.getResponseBody();
            stream.write("2026-11-24T13:00:00.000Z app[web.1]: old line\n".getBytes(StandardCharsets.UTF_8));
            stream.flush();
            streamOpen.countDown();
            try {
                clientGone.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        server.createContext("/apps/ended/log-stream", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            exchange.getResponseBody().write("2026-11-24T13:00:00.000Z app[web.1]: last line\n".getBytes(StandardCharsets.UTF_8));
            exchange.close(); // the platform ends the stream (it is shutting down)
        });
        server.start();
    }

    @AfterEach
    void stop() {
        clientGone.countDown();
        server.stop(0);
    }

    @Test
    void eachNewLineIsShownWhileTheStreamStaysOpenAndCtrlCEndsItWithExit0() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FakeSignals signals = new FakeSignals();
        int[] code = {-1};
        Thread cli = new Thread(() -> code[0] = Main.run(context(out, signals), "logs", "-a", "shop", "--tail"));
        cli.start();

        assertThat(streamOpen.await(10, TimeUnit.SECONDS)).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> shown(out).contains("old line\n"));
        stream.write("2026-11-24T13:00:05.000Z app[web.1]: new line\n".getBytes(StandardCharsets.UTF_8));
        stream.flush();
        await().atMost(Duration.ofSeconds(5)).until(() -> shown(out).contains("new line\n"));

        await().atMost(Duration.ofSeconds(5)).until(() -> signals.listening("INT"));
        signals.fire("INT");
        cli.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(cli.isAlive()).as("the tail ended on Ctrl-C").isFalse();
        assertThat(code[0]).isZero();
        assertThat(shown(out)).isEqualTo("2026-11-24T13:00:00.000Z app[web.1]: old line\n"
                + "2026-11-24T13:00:05.000Z app[web.1]: new line\n");
    }

    @Test
    void aTailThePlatformEndsSaysSoAfterItsLastLine() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(context(out, err, new FakeSignals()), "logs", "-a", "ended", "--tail");
        assertThat(code).isEqualTo(1);
        assertThat(shown(out)).isEqualTo("2026-11-24T13:00:00.000Z app[web.1]: last line\n");
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("slipway: the platform at http://127.0.0.1:")
                .endsWith(" ended the log stream; `slipway logs --tail` again to go on\n");
    }

    @Test
    void withoutTailTheEndOfTheLinesIsTheEnd() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(Main.run(context(out, new FakeSignals()), "logs", "-a", "ended")).isZero();
        assertThat(shown(out)).isEqualTo("2026-11-24T13:00:00.000Z app[web.1]: last line\n");
    }

    private CliContext context(ByteArrayOutputStream out, Signals signals) {
        return context(out, new ByteArrayOutputStream(), signals);
    }

    private CliContext context(ByteArrayOutputStream out, ByteArrayOutputStream err, Signals signals) {
        Map<String, String> env = Map.of(
                "SLIPWAY_HOME", home.toString(),
                "SLIPWAY_API_URL", "http://127.0.0.1:" + server.getAddress().getPort(),
                "SLIPWAY_API_TOKEN", "tok-123");
        return new CliContext(env, home, new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                java.util.Optional.empty(), java.time.Clock.systemUTC(), java.util.Optional.empty(), signals);
    }

    private static String shown(ByteArrayOutputStream out) {
        synchronized (out) {
            return out.toString(StandardCharsets.UTF_8);
        }
    }
}
