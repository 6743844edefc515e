package io.slipway.controller.logs;

import io.slipway.keys.LogKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slipway.controller.testing.Api;
import io.slipway.controller.testing.TestPlatform;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Only lines tagged with the platform's log key reach an app's log from the UDP port; forged ones are dropped. */
class ForgedRouterLinesTest {
    static TestPlatform platform;
    static Api api;
    static int logPort;

    @BeforeAll
    static void start() {
        logPort = TestPlatform.freePort();
        platform = TestPlatform.start(Map.of("SLIPWAY_LOG_PORT", Integer.toString(logPort)));
        api = Api.of(platform);
        assertThat(api.post("/apps", "{\"name\":\"shop\"}").status()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void aLineFromAProcessWithoutTheKeyNeverShowsInTheAppsLog() throws Exception {
        try (DatagramSocket intruder = new DatagramSocket()) {
            send(intruder, "shop router at=info forged=unsigned status=200");
            send(intruder, "0".repeat(32) + " shop router at=info forged=zero-tag status=200");
        }
        Path otherHome = Files.createTempDirectory("slipway-other-home-");
        try (LogDatagramSender otherPlatform = new LogDatagramSender(logPort, LogKey.underHome(otherHome));
             LogDatagramSender router = new LogDatagramSender(logPort, LogKey.underHome(platform.home()))) {
            otherPlatform.send("shop", "router", "at=info forged=other-key status=200");
            router.send("shop", "router", "at=info genuine=yes status=200");
        } finally {
            Files.deleteIfExists(otherHome.resolve(LogKey.FILE));
            Files.deleteIfExists(otherHome);
        }

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(routerLines()).anySatisfy(l -> assertThat(l).contains("router[router]: at=info genuine=yes")));
        assertThat(routerLines()).noneSatisfy(l -> assertThat(l).contains("forged"));
    }

    @Test
    void theKeyIsReadableByItsOwnerOnly() throws Exception {
        Path key = platform.home().resolve(LogKey.FILE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        assertThat(Files.readString(key).strip()).matches("[0-9a-f]{64}");
    }

    private static List<String> routerLines() {
        return api.get("/apps/shop/log-stream?source=router&lines=1000").body().lines().toList();
    }

    private static void send(DatagramSocket socket, String datagram) throws Exception {
        byte[] bytes = datagram.getBytes(StandardCharsets.UTF_8);
        socket.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), logPort));
    }
}
