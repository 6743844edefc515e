package io.slipway.controller.logs;

import io.slipway.keys.LogKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slipway.controller.testing.Api;
import io.slipway.controller.testing.GitPush;
import io.slipway.controller.testing.TestPlatform;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One log stream per app, end to end: a real controller, real dynos in Docker, real pushes. Dyno
 * output, build output, platform events and router lines in one stream; limits and filters; live
 * tails; a controller restart that neither repeats nor loses a line.
 */
class LogStreamTest {
    private static final Pattern LINE = Pattern.compile("(?s)"
            + "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}\\+00:00 (app|router|build|slipway)\\[[a-z0-9._-]+\\]: .*");
    static TestPlatform platform;
    static Api api;
    static int logPort;
    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    static void deploy() throws IOException {
        try (DatagramSocket free = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            logPort = free.getLocalPort();
        }
        platform = TestPlatform.start(Map.of("SLIPWAY_LOG_PORT", Integer.toString(logPort),
                "SLIPWAY_BOOT_TIMEOUT", "20s", "SLIPWAY_DYNO_GRACE", "2s"));
        api = Api.of(platform);
        GitPush buildpack = GitPush.of(Path.of("src/test/resources/fixtures/hello-buildpack"));
        assertThat(api.post("/apps", "{\"name\":\"shop\"}").status()).isEqualTo(201);
        api.patch("/apps/shop/config-vars", "{\"BUILDPACK_URL\":\"file://" + buildpack.dir() + "\"}");
        GitPush app = GitPush.init().write("hello.txt", "hello world\n").write("Procfile", """
                web: echo web is booting; python3 -m http.server $PORT
                counter: i=0; while true; do i=$((i+1)); echo "count $i"; sleep 0.02; done
                talker: echo to stdout; echo to stderr >&2; exec sleep 100000
                crasher: echo about to fail; exit 3
                """).commit("first");
        GitPush.Result push = app.push(platform.apiUrl(), "shop", platform.adminToken());
        assertThat(push.exit()).as(push.output()).isZero();
        Api.Response scaled = api.patch("/apps/shop/formation",
                "{\"updates\":[{\"type\":\"counter\",\"quantity\":1},{\"type\":\"talker\",\"quantity\":1}]}");
        assertThat(scaled.status()).as(scaled.body()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    private static List<String> log(String query) {
        Api.Response r = api.get("/apps/shop/log-stream?" + query);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.body().isEmpty() ? List.of() : r.body().lines().toList();
    }

    private static void awaitLine(String query, String wanted) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(log(query)).anySatisfy(l -> assertThat(l).endsWith(wanted)));
    }

    /** Waits until the counter dyno has printed at least {@code n} lines into the stream. */
    private static void awaitCount(long n) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            List<String> last = log("lines=1&dyno=counter.1&source=app");
            return !last.isEmpty() && count(last.get(0)) >= n;
        });
    }

    @Test
    void everyLineReadsLikeHerokusWithTimeSourceAndProcess() {
        awaitLine("dyno=web.1", "app[web.1]: web is booting");
        assertThat(log("lines=1000")).isNotEmpty().allSatisfy(l -> assertThat(l).matches(LINE));
    }

    @Test
    void aDynosStdoutAndStderrBothReachTheStream() {
        awaitLine("dyno=talker.1", "app[talker.1]: to stdout");
        awaitLine("dyno=talker.1", "app[talker.1]: to stderr");
    }

    @Test
    void buildOutputIsInTheStream() {
        List<String> build = log("source=build&lines=1000");
        assertThat(build).isNotEmpty().allSatisfy(l -> assertThat(l).contains(" build[build.1]: "));
        assertThat(build).anySatisfy(l -> assertThat(l).endsWith("Greeting the build"));
    }

    @Test
    void platformEventsAreInTheStream() {
        awaitLine("source=slipway&lines=1000", "slipway[api]: Set BUILDPACK_URL config vars by admin");
        awaitLine("source=slipway&lines=1000", "slipway[api]: Release v1 created by admin");
        awaitLine("source=slipway&lines=1000", "slipway[api]: Release v1 is live");
        awaitLine("source=slipway&lines=1000", "slipway[web.1]: State changed from starting to up");
        assertThat(log("source=slipway&lines=1000")).anySatisfy(l -> assertThat(l).contains("slipway[api]: Scaled to ")
                .contains("web@1:standard").contains("counter@1:standard").endsWith(" by admin"));
        assertThat(log("source=slipway&lines=1000")).anySatisfy(l -> assertThat(l).contains("slipway[api]: Deploy "));
    }

    @Test
    void aCrashingDynoShowsItsOutputItsExitAndItsStateChange() {
        api.patch("/apps/shop/formation", "{\"updates\":[{\"type\":\"crasher\",\"quantity\":1}]}");
        try {
            awaitLine("dyno=crasher.1&lines=1000", "app[crasher.1]: about to fail");
            awaitLine("dyno=crasher.1&lines=1000", "slipway[crasher.1]: Process exited with status 3");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(log("dyno=crasher.1&lines=1000"))
                    .anySatisfy(l -> assertThat(l).contains("slipway[crasher.1]: State changed from ").endsWith(" to crashed")));
        } finally {
            api.patch("/apps/shop/formation", "{\"updates\":[{\"type\":\"crasher\",\"quantity\":0}]}");
        }
    }

    @Test
    void routerLinesArriveOverUdp() {
        try (LogDatagramSender router = new LogDatagramSender(logPort, LogKey.underHome(platform.home()))) {
            router.send("shop", "router", "at=info method=GET path=\"/\" host=shop.localhost status=200");
            router.send("nosuch", "router", "at=info method=GET path=\"/\" host=nosuch.localhost status=404");
        }
        awaitLine("source=router", "router[router]: at=info method=GET path=\"/\" host=shop.localhost status=200");
        assertThat(log("source=router&lines=1000")).noneSatisfy(l -> assertThat(l).contains("nosuch"));
    }

    @Test
    void linesLimitsTheBacklogToTheNewest() {
        awaitCount(20);
        List<String> five = log("lines=5&dyno=counter.1&source=app");
        assertThat(five).hasSize(5);
        long first = count(five.get(0));
        for (int i = 1; i < 5; i++) {
            assertThat(count(five.get(i))).isEqualTo(first + i);
        }
        assertThat(log("lines=0")).isEmpty();
    }

    @Test
    void filtersSelectADynoAProcessTypeAndASource() {
        awaitCount(50);
        assertThat(log("dyno=counter&lines=50")).hasSize(50).allSatisfy(l -> assertThat(l).contains("[counter.1]: "));
        assertThat(log("ps=talker.1&source=app")).isNotEmpty().allSatisfy(l -> assertThat(l).contains(" app[talker.1]: "));
        assertThat(log("source=slipway&lines=1000")).isNotEmpty().allSatisfy(l -> assertThat(l).contains(" slipway["));
        assertThat(log("source=app,router&lines=1000")).isNotEmpty()
                .allSatisfy(l -> assertThat(l).containsAnyOf(" app[", " router["));
    }

    @Test
    void aTailReceivesNewLinesAsTheyArrive() throws Exception {
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(platform.apiUrl()
                        + "/apps/shop/log-stream?tail=true&lines=0&dyno=counter.1&source=app"))
                .header("Authorization", "Bearer " + platform.adminToken()).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            long t0 = System.nanoTime();
            long previous = count(in.readLine());
            for (int i = 0; i < 20; i++) {
                long next = count(in.readLine());
                assertThat(next).isEqualTo(previous + 1);
                previous = next;
            }
            // The counter prints every 20 ms: 20 lines must arrive in well under the 2 s a poller would need.
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void theBufferSurvivesAControllerRestartWithoutRepeatingOrLosingALine() throws Exception {
        awaitCount(10);
        long before = count(log("lines=1&dyno=counter.1&source=app").get(0));
        platform.restartController();
        await().atMost(Duration.ofSeconds(30)).until(() ->
                count(log("lines=1&dyno=counter.1&source=app").get(0)) > before + 100);
        List<String> all = log("lines=1000000&dyno=counter.1&source=app");
        long expected = count(all.get(0));
        assertThat(expected).as("the buffer still starts where the dyno did").isEqualTo(1);
        for (String l : all) {
            assertThat(count(l)).as("after %s", expected - 1).isEqualTo(expected);
            expected++;
        }
        assertThat(expected - 1).isGreaterThan(before + 100);
    }

    @Test
    void aSlowTailIsToldHowManyLinesItMissedAndTheRestComeInOrder() throws Exception {
        // An app of its own: the flood pushes every older line out of its buffer.
        assertThat(api.post("/apps", "{\"name\":\"flood\"}").status()).isEqualTo(201);
        int sent = 300_000;
        try (Socket slow = new Socket(); LogDatagramSender router = new LogDatagramSender(logPort, LogKey.underHome(platform.home()))) {
            slow.setReceiveBufferSize(4096);
            slow.setSoTimeout(30_000);
            slow.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(
                    platform.apiUrl().substring(platform.apiUrl().lastIndexOf(':') + 1))), 2000);
            slow.getOutputStream().write(("GET /apps/flood/log-stream?tail=true&lines=0&source=router HTTP/1.1\r\n"
                    + "Host: x\r\nAuthorization: Bearer " + platform.adminToken() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            Thread.sleep(500);
            for (int i = 1; i <= sent; i++) {
                router.send("flood", "router", "flood " + i);
                if (i % 2000 == 0) {
                    Thread.sleep(2); // keep within the listener's socket buffer: this tests the tail, not UDP
                }
            }
            router.send("flood", "router", "flood done");
            String got = LogStreamHttpTest.readUntil(new LogStreamHttpTest.Dechunked(slow.getInputStream()),
                    "router[router]: flood done\n", Duration.ofSeconds(60));
            Matcher skipped = Pattern.compile("slipway\\[logs\\]: (\\d+) lines skipped: this client read too slowly").matcher(got);
            assertThat(skipped.find()).as("a skip marker").isTrue();
            long last = 0;
            for (String l : got.split("\n")) {
                Matcher n = Pattern.compile("router\\[router\\]: flood (\\d+)$").matcher(l);
                if (n.find()) {
                    long v = Long.parseLong(n.group(1));
                    assertThat(v).as("lines arrive in order, never twice").isGreaterThan(last);
                    last = v;
                }
            }
        }
    }

    @Test
    void manyTailsLeaveTheApiAnswering() throws Exception {
        List<Socket> tails = new ArrayList<>();
        int port = Integer.parseInt(platform.apiUrl().substring(platform.apiUrl().lastIndexOf(':') + 1));
        try {
            for (int i = 0; i < 64; i++) {
                Socket s = new Socket();
                s.setSoTimeout(10_000);
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
                s.getOutputStream().write(("GET /apps/shop/log-stream?tail=true&lines=1&dyno=counter.1 HTTP/1.1\r\n"
                        + "Host: x\r\nAuthorization: Bearer " + platform.adminToken() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                tails.add(s);
            }
            for (Socket s : tails) {
                LogStreamHttpTest.readUntil(s.getInputStream(), "app[counter.1]: count", Duration.ofSeconds(10));
            }
            long t0 = System.nanoTime();
            assertThat(api.get("/apps").status()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
        } finally {
            for (Socket s : tails) {
                s.close();
            }
        }
    }

    @Test
    void anUnknownAppIsA404() {
        Api.Response r = api.get("/apps/nosuch/log-stream?tail=true");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.body()).contains("\"id\":\"not_found\"").contains("nosuch");
        assertThat(api.get("/apps/shop/log-stream?lines=lots").status()).isEqualTo(422);
    }

    @Test
    void destroyingAnAppDeletesItsLog() throws Exception {
        assertThat(api.post("/apps", "{\"name\":\"brief\"}").status()).isEqualTo(201);
        api.patch("/apps/brief/config-vars", "{\"A\":\"1\"}");
        Path file = platform.home().resolve("logs/apps/brief.log");
        await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(file)
                && Files.readString(file).contains("slipway[api] - Set A config vars by admin"));
        assertThat(api.delete("/apps/brief").status()).isEqualTo(200);
        assertThat(file).doesNotExist();
    }

    private static long count(String line) {
        Matcher m = Pattern.compile("count (\\d+)$").matcher(line);
        if (!m.find()) {
            throw new AssertionError("not a counter line: " + line);
        }
        return Long.parseLong(m.group(1));
    }
}
