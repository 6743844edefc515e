package io.slipway.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Host → app → one of its web dynos, as a client of the router sees it. */
class RoutingTest {
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
    void anAppAnswersAtItsNameUnderTheDomain() {
        StandInDyno web = p.dyno("web.1");
        p.createApp("shop");
        p.addWebDyno("shop", 1, web.port());

        HttpResponse<String> r = awaitAnswer("shop.localhost", "/products?page=2");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("hello from web.1");
        assertThat(web.last().path()).isEqualTo("/products?page=2");
        assertThat(web.last().header("Host")).isEqualTo("shop.localhost");
    }

    @Test
    void theHostsCaseAndPortDoNotMatter() {
        StandInDyno web = p.dyno("web.1");
        p.createApp("cased");
        p.addWebDyno("cased", 1, web.port());

        awaitAnswer("cased.localhost", "/");
        assertThat(p.get("Cased.LocalHost:8080", "/").body()).isEqualTo("hello from web.1");
    }

    @Test
    void aCustomDomainRoutesToItsApp() {
        StandInDyno web = p.dyno("blog web.1");
        p.createApp("blog");
        p.addWebDyno("blog", 1, web.port());
        p.addDomain("blog", "www.blog.test");

        HttpResponse<String> r = awaitAnswer("www.blog.test", "/");
        assertThat(r.body()).isEqualTo("hello from blog web.1");
    }

    @Test
    void requestsTakeTurnsAcrossTwoDynos() {
        StandInDyno one = p.dyno("web.1");
        StandInDyno two = p.dyno("web.2");
        p.createApp("turns");
        p.addWebDyno("turns", 1, one.port());
        p.addWebDyno("turns", 2, two.port());
        await().atMost(Duration.ofSeconds(5)).until(() -> routable("turns") == 2);

        List<String> answers = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            answers.add(p.get("turns.localhost", "/").body());
        }
        assertThat(answers).containsOnly("hello from web.1", "hello from web.2");
        for (int i = 1; i < answers.size(); i++) {
            assertThat(answers.get(i)).as("request %d after %s", i, answers.get(i - 1)).isNotEqualTo(answers.get(i - 1));
        }
        assertThat(one.requests()).isEqualTo(5);
        assertThat(two.requests()).isEqualTo(5);
    }

    @Test
    void aNewDynoGetsTrafficWithinASecondOfItsRow() {
        StandInDyno one = p.dyno("web.1");
        StandInDyno two = p.dyno("web.2");
        p.createApp("grows");
        p.addWebDyno("grows", 1, one.port());
        awaitAnswer("grows.localhost", "/");

        long inserted = System.nanoTime();
        p.addWebDyno("grows", 2, two.port());
        await().atMost(Duration.ofMillis(1500)).pollInterval(Duration.ofMillis(20)).until(() -> {
            p.get("grows.localhost", "/");
            return two.requests() > 0;
        });
        assertThat(Duration.ofNanos(System.nanoTime() - inserted)).isLessThan(Duration.ofMillis(1500));
    }

    @Test
    void aDynoMarkedUnroutableGetsNoMoreTraffic() {
        StandInDyno one = p.dyno("web.1");
        StandInDyno two = p.dyno("web.2");
        p.createApp("shrinks");
        p.addWebDyno("shrinks", 1, one.port());
        String second = p.addWebDyno("shrinks", 2, two.port());
        await().atMost(Duration.ofSeconds(5)).until(() -> routable("shrinks") == 2);

        p.setRoutable(second, false);
        await().atMost(Duration.ofMillis(1500)).pollInterval(Duration.ofMillis(20)).until(() -> routable("shrinks") == 1);
        int before = two.requests();
        for (int i = 0; i < 6; i++) {
            assertThat(p.get("shrinks.localhost", "/").body()).isEqualTo("hello from web.1");
        }
        assertThat(two.requests()).isEqualTo(before);
    }

    @Test
    void anAbsoluteFormRequestIsRoutedByTheHostInItsUrlAndReachesTheDynoInOriginForm() {
        ScriptedDyno.Answer ok = ScriptedDyno.Answer.keep("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nother");
        ScriptedDyno other = p.scriptedDyno().on("/path", ok).on("/path?q=1", ok);
        p.createApp("absolute");
        p.addWebDyno("absolute", 1, other.port());
        StandInDyno named = appWithOneDyno("hostnamed");
        await().atMost(Duration.ofSeconds(5)).until(() -> p.get("absolute.localhost", "/path").statusCode() == 200);
        int before = named.requests();

        // RFC 9112, 3.2.2: the URL's host decides, whatever the Host header says.
        String answer = RawHttp.exchange(p.router.port(),
                "GET http://absolute.localhost:8080/path?q=1 HTTP/1.1\r\nHost: hostnamed.localhost\r\nConnection: close\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 200").endsWith("other");
        assertThat(named.requests()).isEqualTo(before);
        String head = other.last().head();
        assertThat(head).startsWith("GET /path?q=1 HTTP/1.1\r\n");
        assertThat(head).containsIgnoringCase("\r\nHost: absolute.localhost:8080\r\n").doesNotContain("hostnamed");
    }

    @Test
    void anAbsoluteFormRequestWithoutAUsableHostIsA400() {
        appWithOneDyno("userinfo");
        assertThat(RawHttp.exchange(p.router.port(), "GET http://user@userinfo.localhost/ HTTP/1.1\r\nHost: userinfo.localhost\r\n\r\n"))
                .startsWith("HTTP/1.1 400");
        assertThat(RawHttp.exchange(p.router.port(), "GET http://bad_host!/ HTTP/1.1\r\nHost: userinfo.localhost\r\n\r\n"))
                .startsWith("HTTP/1.1 400");
    }

    @Test
    void anUnknownAppIsA404Page() {
        HttpResponse<String> r = p.get("nosuch.localhost", "/");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("X-Slipway-Error")).contains("no_such_app");
        assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(r.body()).contains("No such app").contains("nosuch.localhost").contains("apps:create nosuch");
    }

    @Test
    void anAppWithoutWebDynosIsA503H14() {
        p.createApp("idle");
        HttpResponse<String> r = awaitStatus("idle.localhost", 503);
        assertThat(r.headers().firstValue("X-Slipway-Error")).contains("H14");
        assertThat(r.body()).contains("No web dynos running").contains("H14").contains("ps:scale web=1");
    }

    @Test
    void aDestroyedAppIsA404AtOnceEvenWithoutDynos() {
        p.createApp("fleeting");
        awaitStatus("fleeting.localhost", 503);
        p.destroyApp("fleeting");
        HttpResponse<String> r = awaitStatus("fleeting.localhost", 404);
        assertThat(r.body()).contains("No such app");
    }

    @Test
    void anAppWhoseWebDynosAllCrashedIsA503H10() {
        p.createApp("broken");
        p.addDyno("broken", "web", 1, null, "crashed", false);
        p.addDyno("broken", "web", 2, null, "restarting", false);
        p.addDyno("broken", "worker", 1, null, "up", false);

        HttpResponse<String> r = awaitError("broken.localhost", "H10");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).contains("Application error").contains("H10");
    }

    @Test
    void aDynoThatRefusesConnectionsIsSkippedAndNoRequestFails() {
        StandInDyno alive = p.dyno("web.2");
        int deadPort = io.slipway.controller.testing.TestPlatform.freePort(); // nothing listens there
        p.createApp("flaky");
        p.addWebDyno("flaky", 1, deadPort);
        p.addWebDyno("flaky", 2, alive.port());
        await().atMost(Duration.ofSeconds(5)).until(() -> routable("flaky") == 2);

        for (int i = 0; i < 10; i++) {
            HttpResponse<String> r = p.get("flaky.localhost", "/");
            assertThat(r.statusCode()).as("request %d", i).isEqualTo(200);
            assertThat(r.body()).isEqualTo("hello from web.2");
        }
        assertThat(alive.requests()).isEqualTo(10);
    }

    @Test
    void whenEveryDynoRefusesTheAnswerIsA502() {
        p.createApp("refusing");
        p.addWebDyno("refusing", 1, io.slipway.controller.testing.TestPlatform.freePort());
        HttpResponse<String> r = awaitStatus("refusing.localhost", 502);
        assertThat(r.headers().firstValue("X-Slipway-Error")).contains("H13");
        assertThat(r.body()).contains("None of this app").contains("H13");
        // The line is written when the exchange completes, which may be just after the client has the answer.
        await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(p.log.of("refusing")).anySatisfy(line ->
                assertThat(line).startsWith("at=error code=H13 desc=\"Connection refused by every dyno\"").contains("status=502")));
    }

    @Test
    void aDynoThatHangsUpWithoutAnsweringIsA502AndTheRequestIsNotSentAgain() throws Exception {
        try (java.net.ServerSocket rude = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            java.util.concurrent.atomic.AtomicInteger accepted = new java.util.concurrent.atomic.AtomicInteger();
            Thread.ofVirtual().start(() -> {
                while (!rude.isClosed()) {
                    try (java.net.Socket s = rude.accept()) {
                        accepted.incrementAndGet();
                        s.getInputStream().read(); // take the request's first byte, then hang up
                    } catch (java.io.IOException e) {
                        return;
                    }
                }
            });
            p.createApp("hangup");
            p.addWebDyno("hangup", 1, rude.getLocalPort());
            HttpResponse<String> r = awaitStatus("hangup.localhost", 502);
            assertThat(r.headers().firstValue("X-Slipway-Error")).contains("H13");
            assertThat(r.body()).contains("closed the connection before it sent a response");

            int before = accepted.get();
            p.send(p.request("hangup.localhost", "/").POST(java.net.http.HttpRequest.BodyPublishers.ofString("order=1")).build());
            assertThat(accepted.get()).as("connections for one POST").isEqualTo(before + 1);
        }
    }

    @Test
    void aRequestSentWhileTheLastIsAtTheDynoWaitsItsTurnOnTheSameConnection() throws Exception {
        StandInDyno web = appWithOneDyno("pipelined");

        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), p.router.port())) {
            s.setSoTimeout(5000);
            write(s, "GET /slow?ms=400 HTTP/1.1\r\nHost: pipelined.localhost\r\n\r\n");
            await().atMost(Duration.ofSeconds(2)).until(() -> web.last().path().startsWith("/slow"));
            // The first request is at the dyno now; the second arrives on the connection meanwhile.
            write(s, "GET /second HTTP/1.1\r\nHost: pipelined.localhost\r\nConnection: close\r\n\r\n");
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);

            assertThat(answer).containsSubsequence("HTTP/1.1 200", "slow answer from web.1", "HTTP/1.1 200", "hello from web.1");
            assertThat(web.seen).extracting(StandInDyno.Seen::path).containsSubsequence("/slow?ms=400", "/second");
        }
    }

    @Test
    void aClientThatHangsUpWhileItsRequestIsAtTheDynoLeavesTheRouterServing() throws Exception {
        StandInDyno web = appWithOneDyno("hangsup");

        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), p.router.port())) {
            write(s, "GET /slow?ms=300 HTTP/1.1\r\nHost: hangsup.localhost\r\n\r\n");
            await().atMost(Duration.ofSeconds(2)).until(() -> web.last().path().startsWith("/slow"));
        } // closed while the dyno is still answering

        assertThat(p.get("hangsup.localhost", "/").body()).isEqualTo("hello from web.1");
        await().atMost(Duration.ofSeconds(3)).untilAsserted(() ->
                assertThat(p.log.of("hangsup")).anySatisfy(line -> assertThat(line).contains("path=\"/slow?ms=300\"")));
    }

    @Test
    void theDynoGetsForwardingHeadersAndARequestId() {
        StandInDyno web = p.dyno("web.1");
        p.createApp("headers");
        p.addWebDyno("headers", 1, web.port());
        awaitAnswer("headers.localhost", "/");

        HttpResponse<String> r = p.send(p.request("headers.localhost:8080", "/h")
                .header("X-Forwarded-For", "6.6.6.6").header("X-Forwarded-Host", "evil.test").GET().build());
        StandInDyno.Seen seen = web.last();
        String id = seen.header("X-Request-Id");
        assertThat(id).matches("[0-9a-f-]{36}");
        assertThat(r.headers().firstValue("X-Request-Id")).contains(id);
        assertThat(seen.header("X-Forwarded-For")).isEqualTo("127.0.0.1");
        assertThat(seen.header("X-Forwarded-Proto")).isEqualTo("http");
        assertThat(seen.header("X-Forwarded-Port")).isEqualTo("8080");
        assertThat(seen.header("X-Forwarded-Host")).isEqualTo("headers.localhost");
        assertThat(seen.header("Via")).isEqualTo("1.1 slipway");
    }

    @Test
    void anH2cUpgradeIsDeclinedAndTheRequestServedAsHttp11() {
        StandInDyno web = p.dyno("web.1");
        p.createApp("h2c");
        p.addWebDyno("h2c", 1, web.port());
        awaitAnswer("h2c.localhost", "/");

        // What Java's HttpClient sends first on every new plain-HTTP connection (RFC 9113 deprecates it).
        String answer = RawHttp.exchange(p.router.port(), "GET /plain HTTP/1.1\r\nHost: h2c.localhost\r\n"
                + "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAEAAEAAAAIAAAABAAMAAABkAAQBAAAAAAUAAEAA\r\n"
                + "Connection: close\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 200").contains("hello from web.1");
        assertThat(web.last().path()).isEqualTo("/plain");
        assertThat(web.last().headers().keySet()).as("what the dyno saw")
                .noneMatch(h -> h.equalsIgnoreCase("Upgrade") || h.equalsIgnoreCase("HTTP2-Settings"));
    }

    @Test
    void aSaneIncomingRequestIdIsKeptAndAnInsaneOneReplaced() {
        StandInDyno web = p.dyno("web.1");
        p.createApp("ids");
        p.addWebDyno("ids", 1, web.port());
        awaitAnswer("ids.localhost", "/");

        String mine = "my-trace-0123456789abcdef";
        p.send(p.request("ids.localhost", "/").header("X-Request-Id", mine).GET().build());
        assertThat(web.last().header("X-Request-Id")).isEqualTo(mine);

        p.send(p.request("ids.localhost", "/").header("X-Request-Id", "short\"; evil").GET().build());
        assertThat(web.last().header("X-Request-Id")).isNotEqualTo("short\"; evil").matches("[0-9a-f-]{36}");
    }

    @Test
    void eachRequestIsOneLogfmtLineForItsApp() {
        StandInDyno web = p.dyno("web.1");
        p.createApp("logged");
        p.addWebDyno("logged", 1, web.port());
        awaitAnswer("logged.localhost", "/");

        HttpResponse<String> r = p.get("logged.localhost", "/cart?item=%22x%22");
        String id = r.headers().firstValue("X-Request-Id").orElseThrow();
        await().atMost(Duration.ofSeconds(2)).until(() -> p.log.of("logged").stream().anyMatch(l -> l.contains(id)));
        String line = p.log.of("logged").stream().filter(l -> l.contains(id)).findFirst().orElseThrow();
        assertThat(line).matches("at=info method=GET path=\"/cart\\?item=%22x%22\" host=logged.localhost request_id=" + id
                + " fwd=\"127.0.0.1\" dyno=web.1 connect=\\d+ms service=\\d+ms status=200 bytes=16 protocol=http");
    }

    @Test
    void metricsCountRequestsLatenciesAndDynoStatesPerApp() {
        StandInDyno web = p.dyno("web.1");
        p.createApp("counted");
        p.addWebDyno("counted", 1, web.port());
        p.addDyno("counted", "worker", 1, null, "crashed", false);
        awaitAnswer("counted.localhost", "/");
        for (int i = 0; i < 3; i++) {
            p.get("counted.localhost", "/");
        }

        HttpResponse<String> m = p.get("localhost", "/metrics");
        assertThat(m.statusCode()).isEqualTo(200);
        assertThat(m.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain; version=0.0.4");
        String text = m.body();
        assertThat(text).containsPattern("slipway_router_requests_total\\{app=\"counted\",code=\"200\"} [4-9]");
        assertThat(text).containsPattern("slipway_router_request_duration_seconds_bucket\\{app=\"counted\",le=\"\\+Inf\"} [4-9]");
        assertThat(text).contains("slipway_router_request_duration_seconds_count{app=\"counted\"}");
        assertThat(text).contains("slipway_dynos{app=\"counted\",state=\"up\"} 1");
        assertThat(text).contains("slipway_dynos{app=\"counted\",state=\"crashed\"} 1");
        assertThat(text).contains("slipway_router_routable_dynos{app=\"counted\"} 1");
        assertThat(text).contains("slipway_router_database_connected 1");
    }

    @Test
    void metricsAndHealthAreTheRoutersOnlyOnTheBareDomain() {
        assertThat(p.get("localhost", "/healthz").body()).contains("\"status\":\"ok\"");
        assertThat(p.get("127.0.0.1", "/healthz").statusCode()).isEqualTo(200);
        assertThat(p.get("nosuch.localhost", "/metrics").statusCode()).isEqualTo(404);
    }

    // ---- helpers ---------------------------------------------------------------------------------

    static int routable(String app) {
        return routable(p, app);
    }

    /** The routable dynos the router counts for {@code app}, from its /metrics. */
    static int routable(RoutedPlatform p, String app) {
        String metrics = p.get("localhost", "/metrics").body();
        var m = java.util.regex.Pattern.compile("slipway_router_routable_dynos\\{app=\"" + app + "\"} (\\d+)").matcher(metrics);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    /** An app with one stand-in web dyno that the router already routes to. */
    static StandInDyno appWithOneDyno(String app) {
        StandInDyno web = p.dyno("web.1");
        p.createApp(app);
        p.addWebDyno(app, 1, web.port());
        awaitAnswer(app + ".localhost", "/");
        return web;
    }

    static void write(Socket s, String raw) throws IOException {
        s.getOutputStream().write(raw.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
    }

    static HttpResponse<String> awaitAnswer(String host, String path) {
        return await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> p.get(host, path), r -> r.statusCode() == 200);
    }

    static HttpResponse<String> awaitStatus(String host, int status) {
        return await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> p.get(host, "/"), r -> r.statusCode() == status);
    }

    static HttpResponse<String> awaitError(String host, String code) {
        return await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> p.get(host, "/"), r -> r.headers().firstValue("X-Slipway-Error").orElse("").equals(code));
    }
}
