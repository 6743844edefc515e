package io.slipway.controller.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slipway.controller.http.ErrorMapper;
import io.undertow.Undertow;
import io.undertow.server.handlers.BlockingHandler;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stream over real HTTP, with the API's own handler chain (worker thread, error mapping) and
 * a small worker pool: live tails, clients that hang up, clients that read too slowly.
 */
class LogStreamHttpTest {
    private static final int WORKERS = 4;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private LogService logs;
    private Undertow server;
    private int port;

    @TempDir
    Path home;

    private void start(long appBufferBytes) {
        logs = new LogService(new LogService.Settings(home, appBufferBytes, appBufferBytes, 1L << 20, 256), app -> true);
        server = Undertow.builder()
                .addHttpListener(0, "127.0.0.1")
                .setIoThreads(1)
                .setWorkerThreads(WORKERS)
                .setHandler(new BlockingHandler(new ErrorMapper(ex -> {
                    if (ex.getRequestPath().equals("/ping")) {
                        ex.getResponseSender().send("pong");
                    } else {
                        LogRoutes.serve(ex, logs, "shop");
                    }
                })))
                .build();
        server.start();
        port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
        if (logs != null) {
            logs.close();
        }
    }

    private void line(String text) {
        logs.append(new LogLine(Instant.now(), "shop", "app", "web.1", text));
    }

    /** A raw client: the request, then the response as it comes (chunked framing left in). */
    private Socket open(String query) throws IOException {
        Socket s = new Socket();
        s.setSoTimeout(10_000);
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
        OutputStream out = s.getOutputStream();
        out.write(("GET /apps/shop/log-stream?" + query + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return s;
    }

    static String readUntil(InputStream in, String wanted, Duration timeout) throws IOException {
        StringBuilder got = new StringBuilder();
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] buf = new byte[64 * 1024];
        java.nio.charset.CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder();
        java.nio.ByteBuffer pending = java.nio.ByteBuffer.allocate(buf.length + 8);
        java.nio.CharBuffer chars = java.nio.CharBuffer.allocate(buf.length + 8);
        while (got.indexOf(wanted, Math.max(0, got.length() - buf.length - wanted.length())) < 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("did not receive '" + wanted + "' in time; the end of what came: "
                        + got.substring(Math.max(0, got.length() - 2000)));
            }
            int n = in.read(buf);
            if (n < 0) {
                throw new AssertionError("the stream ended before '" + wanted + "'; the end of what came: "
                        + got.substring(Math.max(0, got.length() - 2000)));
            }
            pending.put(buf, 0, n).flip();
            utf8.decode(pending, chars, false);
            pending.compact();
            got.append(chars.flip());
            chars.clear();
        }
        return got.toString();
    }

    @Test
    void theLastLinesComeAsPlainTextAndTheResponseEnds() throws Exception {
        start(8L << 20);
        for (int i = 1; i <= 10; i++) {
            line("line " + i);
        }
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/apps/shop/log-stream?lines=3")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("text/plain; charset=utf-8");
        assertThat(r.body().lines().toList()).hasSize(3).last().asString().endsWith("app[web.1]: line 10");
    }

    @Test
    void badParametersAreRefusedWithAMessage() throws Exception {
        start(8L << 20);
        for (String q : List.of("lines=-1", "lines=many", "tail=maybe", "source=stdout", "dyno=WEB%201")) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/apps/shop/log-stream?" + q)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(q).isEqualTo(422);
            assertThat(r.body()).as(q).contains("invalid_params");
        }
    }

    @Test
    void aTailReceivesNewLinesAsTheyArrive() throws Exception {
        start(8L << 20);
        line("before");
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/apps/shop/log-stream?tail=true&lines=1")).build(), HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            assertThat(in.readLine()).endsWith("app[web.1]: before");
            for (int i = 0; i < 3; i++) {
                Thread.sleep(100);
                line("live " + i);
                assertThat(in.readLine()).endsWith("app[web.1]: live " + i);
            }
        }
    }

    @Test
    void aTailThatHangsUpIsFreedAtOnce() throws Exception {
        start(8L << 20);
        try (Socket s = open("tail=true&lines=0")) {
            await().atMost(Duration.ofSeconds(5)).until(() -> logs.open("shop").listeners() == 1);
            line("hello");
            readUntil(s.getInputStream(), "app[web.1]: hello", Duration.ofSeconds(5));
            assertThat(logs.tails()).isEqualTo(1);
            assertThat(logs.open("shop").listeners()).isEqualTo(1);
        }
        // No line is written after the hang-up: the server must notice from the connection alone.
        await().atMost(Duration.ofMillis(500)).pollInterval(Duration.ofMillis(10)).untilAsserted(() -> {
            assertThat(logs.tails()).isZero();
            assertThat(logs.open("shop").listeners()).isZero();
        });
    }

    @Test
    void tailsDoNotHoldWorkerThreads() throws Exception {
        start(8L << 20);
        List<Socket> tails = new ArrayList<>();
        try {
            for (int i = 0; i < WORKERS * 10; i++) {
                tails.add(open("tail=true&lines=0"));
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> logs.open("shop").listeners() == WORKERS * 10);
            long t0 = System.nanoTime();
            HttpResponse<String> ping = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ping"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ping.body()).isEqualTo("pong");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
            line("to everyone");
            for (Socket s : tails) {
                readUntil(s.getInputStream(), "app[web.1]: to everyone", Duration.ofSeconds(5));
            }
        } finally {
            for (Socket s : tails) {
                s.close();
            }
        }
        await().atMost(Duration.ofSeconds(2)).until(() -> logs.tails() == 0);
    }

    @Test
    void aSlowClientIsToldWhatItMissedWhileAFastOneMissesNothingAndMemoryStaysBounded() throws Exception {
        long budget = 256 * 1024;
        start(budget);
        int total = 200_000;
        List<String> fast = new ArrayList<>();
        java.util.concurrent.atomic.AtomicInteger fastRead = new java.util.concurrent.atomic.AtomicInteger();
        HttpResponse<InputStream> fastResponse = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/apps/shop/log-stream?tail=true&lines=0")).build(), HttpResponse.BodyHandlers.ofInputStream());
        Thread reader = Thread.ofPlatform().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(fastResponse.body(), StandardCharsets.UTF_8))) {
                for (String l; fast.size() < total && (l = in.readLine()) != null; ) {
                    fast.add(l);
                    fastRead.incrementAndGet();
                }
            } catch (IOException ignored) {
                // the assertions below say what was missing
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> logs.open("shop").listeners() == 1);
        try (Socket slow = new Socket()) {
            slow.setReceiveBufferSize(4096);
            slow.setSoTimeout(30_000);
            slow.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
            slow.getOutputStream().write("GET /apps/shop/log-stream?tail=true&lines=0 HTTP/1.1\r\nHost: x\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            await().atMost(Duration.ofSeconds(5)).until(() -> logs.open("shop").listeners() == 2);
            long maxBytes = 0;
            for (int i = 1; i <= total; i++) {
                line("n " + i);
                if (i % 1000 == 0) {
                    // The app goes no faster than the fast client reads (2,000 lines, about 120 KB, behind at most,
                    // within the budget), so only the client that reads nothing falls behind, whatever
                    // else the machine is doing.
                    int written = i;
                    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1))
                            .until(() -> fastRead.get() >= written - 1000);
                }
                if (i % 10_000 == 0) {
                    maxBytes = Math.max(maxBytes, logs.bytesInMemory());
                }
            }
            reader.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(fast).hasSize(total);
            for (int i = 0; i < total; i++) {
                if (!fast.get(i).endsWith("app[web.1]: n " + (i + 1))) {
                    throw new AssertionError("the fast client's line " + (i + 1) + " is " + fast.get(i));
                }
            }
            assertThat(maxBytes).isLessThanOrEqualTo(budget);

            // Now the slow client reads: what its socket held, a marker, then the rest, in order.
            String got = readUntil(new Dechunked(slow.getInputStream()), "app[web.1]: n " + total + "\n", Duration.ofSeconds(30));
            assertThat(got).containsPattern("slipway\\[logs\\]: \\d+ lines skipped: this client read too slowly");
            long last = 0;
            long skippedTotal = 0;
            long received = 0;
            for (String l : got.split("\n")) {
                var skip = java.util.regex.Pattern.compile("slipway\\[logs\\]: (\\d+) lines skipped").matcher(l);
                var n = java.util.regex.Pattern.compile("app\\[web\\.1\\]: n (\\d+)$").matcher(l);
                if (skip.find()) {
                    skippedTotal += Long.parseLong(skip.group(1));
                } else if (n.find()) {
                    long v = Long.parseLong(n.group(1));
                    assertThat(v).as("lines arrive in order, never twice").isGreaterThan(last);
                    last = v;
                    received++;
                }
            }
            assertThat(received + skippedTotal).as("every line is either received or counted as skipped").isEqualTo(total);
        }
    }

    /** A response body, headers skipped, through HTTP/1.1 chunked framing when the response uses it. */
    static final class Dechunked extends InputStream {
        private final InputStream in;
        private boolean headersRead;
        private boolean chunked;
        private long left;

        Dechunked(InputStream in) {
            this.in = in;
        }

        private String line() throws IOException {
            StringBuilder b = new StringBuilder();
            for (int c; (c = in.read()) != '\n'; ) {
                if (c < 0) {
                    throw new IOException("ended inside a line");
                }
                if (c != '\r') {
                    b.append((char) c);
                }
            }
            return b.toString();
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (!headersRead) {
                for (String h; !(h = line()).isEmpty(); ) {
                    chunked |= h.equalsIgnoreCase("transfer-encoding: chunked");
                }
                headersRead = true;
            }
            if (!chunked) {
                return in.read(b, off, len);
            }
            if (left == 0) {
                String size = line();
                if (size.isEmpty()) {
                    size = line(); // the CRLF that closed the previous chunk
                }
                left = Long.parseLong(size.trim(), 16);
                if (left == 0) {
                    return -1;
                }
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }
}
