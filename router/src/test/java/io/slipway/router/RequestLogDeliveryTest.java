package io.slipway.router;

import io.slipway.keys.LogKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Request lines leave the router as the controller's log listener takes them, or on stdout. */
class RequestLogDeliveryTest {
    static RoutedPlatform p;

    @BeforeAll
    static void start() {
        p = RoutedPlatform.start();
    }

    @AfterAll
    static void stop() {
        p.close();
    }

    @Test
    void eachRequestIsOneDatagramToTheControllersLogPortTaggedWithThePlatformsKey() throws Exception {
        StandInDyno web = p.dyno("web.1");
        p.createApp("streamed");
        p.addWebDyno("streamed", 1, web.port());
        List<String> received = new CopyOnWriteArrayList<>();
        Path keyHome = Files.createTempDirectory("slipway-router-key-");
        try (DatagramSocket controller = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            controller.setSoTimeout(200);
            Thread listener = Thread.ofVirtual().start(() -> {
                byte[] buf = new byte[65_507];
                while (!controller.isClosed()) {
                    DatagramPacket packet = new DatagramPacket(buf, buf.length);
                    try {
                        controller.receive(packet);
                        received.add(new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8));
                    } catch (SocketTimeoutException e) {
                        // poll again
                    } catch (java.io.IOException e) {
                        return;
                    }
                }
            });
            RouterConfig config = new RouterConfig("127.0.0.1", 0, "localhost", RouteDatabase.ofUrl(p.databaseUrl()),
                    RouterConfig.DEFAULT_TIMEOUT, 1, controller.getLocalPort(), keyHome.resolve(LogKey.FILE), null);
            try (Router router = Router.start(config)) {
                await().atMost(Duration.ofSeconds(5)).until(() ->
                        p.send(RoutedPlatform.request(router, "streamed.localhost", "/x").GET().build()).statusCode() == 200);
                await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(received).anySatisfy(d ->
                        assertThat(d).matches("[0-9a-f]{32} streamed router at=info method=GET path=\"/x\" host=streamed.localhost "
                                + "request_id=\\S+ fwd=\"127.0.0.1\" dyno=web.1 connect=\\d+ms service=\\d+ms status=200 bytes=16 protocol=http")));
            }
            controller.close();
            listener.join(1000);
            // The router made the key (no controller ran here); the controller's own check accepts its tags.
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyHome.resolve(LogKey.FILE)))).isEqualTo("rw-------");
            var controllersKey = LogKey.underHome(keyHome);
            byte[] datagram = received.get(0).getBytes(StandardCharsets.UTF_8);
            assertThat(controllersKey.verifies(datagram, datagram.length)).isTrue();
            datagram[datagram.length - 1] ^= 1;
            assertThat(controllersKey.verifies(datagram, datagram.length)).isFalse();
        } finally {
            Files.deleteIfExists(keyHome.resolve(LogKey.FILE));
            Files.deleteIfExists(keyHome);
        }
    }

    @Test
    void requestLinesShowInTheAppsLogStreamOnTheController() {
        StandInDyno web = p.dyno("web.1");
        p.createApp("tailed");
        p.addWebDyno("tailed", 1, web.port());
        RouterConfig config = new RouterConfig("127.0.0.1", 0, "localhost", RouteDatabase.ofUrl(p.databaseUrl()),
                RouterConfig.DEFAULT_TIMEOUT, 1, RouterConfig.logPort(p.platform.env()), p.platform.home().resolve(LogKey.FILE), null);
        try (Router router = Router.start(config)) {
            await().atMost(Duration.ofSeconds(5)).until(() ->
                    p.send(RoutedPlatform.request(router, "tailed.localhost", "/seen-in-logs").GET().build()).statusCode() == 200);
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                    assertThat(p.api.get("/apps/tailed/log-stream?source=router&lines=100").body().lines())
                            .anySatisfy(l -> assertThat(l).contains("router[router]: at=info method=GET path=\"/seen-in-logs\" host=tailed.localhost")
                                    .contains("dyno=web.1").contains("status=200")));
        }
    }

    @Test
    void onStdoutEachLineCarriesTheTimeAndTheApp() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (AsyncRequestLog log = new AsyncRequestLog(new StdoutLines(out))) {
            log.log("shop", new LineBuffer(16).append("at=info method=GET path=\"/\" status=200"));
            log.log("blog", new LineBuffer(16).append("at=error code=H14 desc=\"No web dynos running\" status=503"));
        }
        assertThat(out.toString(StandardCharsets.UTF_8).lines().toList()).satisfiesExactly(
                l -> assertThat(l).matches("\\d{4}-\\d\\d-\\d\\dT\\S+Z router app=shop at=info method=GET path=\"/\" status=200"),
                l -> assertThat(l).endsWith(" router app=blog at=error code=H14 desc=\"No web dynos running\" status=503"));
    }

    @Test
    void onStdoutManyLinesStayWholeAndInOrderAcrossFlushes() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String longPath = "/p".repeat(200_000); // longer than the output's buffer: written in parts, still one line
        try (AsyncRequestLog log = new AsyncRequestLog(new StdoutLines(out))) {
            for (int i = 0; i < 30_000; i++) {
                if (i > 0 && i % 10_000 == 0) { // a wave at a time: one batch holds at most MAX_BATCH lines
                    int written = i;
                    await().atMost(Duration.ofSeconds(10)).until(() -> out.toString(StandardCharsets.UTF_8).lines().count() == written);
                }
                log.log(i % 2 == 0 ? "shop" : "blog", new LineBuffer(16).append("at=info n=").append(i).append(" path=\"")
                        .quoted(i == 12_345 ? longPath : "/x".repeat(i % 50)).append('"'));
            }
        }
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(30_000);
        for (int i = 0; i < 30_000; i++) {
            assertThat(lines.get(i)).endsWith(" router app=" + (i % 2 == 0 ? "shop" : "blog") + " at=info n=" + i
                    + " path=\"" + (i == 12_345 ? longPath : "/x".repeat(i % 50)) + "\"");
        }
    }
}
