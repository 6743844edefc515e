package io.slipway.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bodies and WebSockets pass through the router as streams: nothing is held whole in between. */
class StreamingTest {
    static final long FIFTY_MB = 50L * 1024 * 1024;

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
    void a50MegabyteUploadReachesTheDynoWhileItIsStillBeingSent() throws Exception {
        StandInDyno web = p.dyno("web.1");
        p.createApp("uploads");
        p.addWebDyno("uploads", 1, web.port());
        await().atMost(Duration.ofSeconds(5)).until(() -> p.get("uploads.localhost", "/").statusCode() == 200);

        AtomicBoolean heldBack = new AtomicBoolean();
        InputStream body = new GeneratedBody(FIFTY_MB, () -> {
            // Halfway through, wait for the dyno to have part of it: a router that buffered the body whole never gets here.
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (web.uploaded.get() < 1024 * 1024) {
                if (System.nanoTime() > deadline) {
                    heldBack.set(true);
                    return;
                }
                Thread.sleep(5);
            }
        });
        HttpResponse<String> r = p.http.send(p.request("uploads.localhost", "/upload")
                        .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> body), FIFTY_MB)).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(heldBack).as("the router held the upload back until it had it all").isFalse();
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(Long.toString(FIFTY_MB));
    }

    @Test
    void a50MegabyteDownloadReachesTheClientWhileTheDynoIsStillSending() throws Exception {
        StandInDyno web = p.dyno("web.1");
        p.createApp("downloads");
        p.addWebDyno("downloads", 1, web.port());
        await().atMost(Duration.ofSeconds(5)).until(() -> p.get("downloads.localhost", "/").statusCode() == 200);

        AtomicLong received = new AtomicLong();
        web.clientReceived = received::get;
        HttpResponse<InputStream> r = p.http.send(p.request("downloads.localhost", "/download?bytes=" + FIFTY_MB).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = r.body()) {
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) {
                received.addAndGet(n);
            }
        }
        assertThat(web.downloadHeldBack).as("the router held the download back until it had it all").isFalse();
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(received.get()).isEqualTo(FIFTY_MB);
    }

    @Test
    void aWebSocketConnectsThroughTheRouterAndEchoes() throws Exception {
        Undertow echo = Undertow.builder().addHttpListener(0, "127.0.0.1")
                .setHandler(Handlers.websocket((exchange, channel) -> {
                    channel.getReceiveSetter().set(new AbstractReceiveListener() {
                        @Override
                        protected void onFullTextMessage(WebSocketChannel ch, BufferedTextMessage message) {
                            WebSockets.sendText("echo: " + message.getData(), ch, null);
                        }
                    });
                    channel.resumeReceives();
                })).build();
        echo.start();
        try {
            int port = ((InetSocketAddress) echo.getListenerInfo().get(0).getAddress()).getPort();
            p.createApp("sockets");
            p.addWebDyno("sockets", 1, port);
            // The echo server answers a plain GET with 404 itself; wait until that 404 is its and not the router's.
            await().atMost(Duration.ofSeconds(5)).until(() -> p.get("sockets.localhost", "/").headers().firstValue("X-Slipway-Error").isEmpty());

            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), p.router.port())) {
                s.setSoTimeout(5000);
                OutputStream out = s.getOutputStream();
                out.write(("GET /chat HTTP/1.1\r\nHost: sockets.localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = s.getInputStream();
                String head = readHead(in);
                assertThat(head).startsWith("HTTP/1.1 101").containsIgnoringCase("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");

                for (String text : new String[] {"hello", "again"}) {
                    out.write(maskedTextFrame(text));
                    out.flush();
                    assertThat(readTextFrame(in)).isEqualTo("echo: " + text);
                }
            }
        } finally {
            echo.stop();
        }
        await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(p.log.of("sockets"))
                .anySatisfy(line -> assertThat(line).contains("path=\"/chat\"").contains("status=101")));
    }

    // ---- a minimal WebSocket client: enough for one text frame each way ----------------------------

    private static String readHead(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        while (!b.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            b.append((char) c);
        }
        return b.toString();
    }

    private static byte[] maskedTextFrame(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        byte[] mask = {1, 2, 3, 4};
        byte[] frame = new byte[6 + payload.length];
        frame[0] = (byte) 0x81; // FIN, text
        frame[1] = (byte) (0x80 | payload.length);
        System.arraycopy(mask, 0, frame, 2, 4);
        for (int i = 0; i < payload.length; i++) {
            frame[6 + i] = (byte) (payload[i] ^ mask[i % 4]);
        }
        return frame;
    }

    private static String readTextFrame(InputStream in) throws IOException {
        int first = in.read();
        int len = in.read() & 0x7f;
        assertThat(first & 0x0f).as("opcode").isEqualTo(1);
        return new String(in.readNBytes(len), StandardCharsets.UTF_8);
    }

    /** {@code size} bytes made up on the fly, with a pause at the halfway mark. */
    private static final class GeneratedBody extends InputStream {
        interface Pause {
            void run() throws InterruptedException;
        }

        private final long size;
        private final Pause atHalf;
        private long sent;
        private boolean paused;

        GeneratedBody(long size, Pause atHalf) {
            this.size = size;
            this.atHalf = atHalf;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (sent >= size) {
                return -1;
            }
            if (!paused && sent >= size / 2) {
                paused = true;
                try {
                    atHalf.run();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            int n = (int) Math.min(len, size - sent);
            java.util.Arrays.fill(b, off, off + n, (byte) 'x');
            sent += n;
            return n;
        }
    }
}
