package io.slipway.router;

import static io.slipway.router.ScriptedDyno.Answer.keep;
import static io.slipway.router.ScriptedDyno.Answer.thenClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * How the router reads what a dyno answers to a request without a body: every framing HTTP/1.1
 * allows, interim responses, responses it must refuse, and when a dyno connection may carry the
 * next request. The dyno here answers with scripted bytes; the client is a real HTTP client.
 */
class DynoResponsesTest {
    static RoutedPlatform p;

    @BeforeAll
    static void start() {
        p = RoutedPlatform.start();
    }

    @AfterAll
    static void stop() {
        p.close();
    }

    /** A new app whose one web dyno is {@code dyno}, answering through the router. */
    static String app(String name, ScriptedDyno dyno) {
        dyno.on("/ready", keep("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nready"));
        p.createApp(name);
        p.addWebDyno(name, 1, dyno.port());
        String host = name + ".localhost";
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> p.get(host, "/ready").statusCode() == 200);
        return host;
    }

    @Test
    void aKeepAliveConnectionToTheDynoCarriesRequestAfterRequest() {
        ScriptedDyno dyno = p.scriptedDyno();
        String host = app("reused", dyno);
        dyno.on("/", keep("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok"));

        for (int i = 0; i < 20; i++) {
            HttpResponse<String> r = p.get(host, "/");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("ok");
            assertThat(r.headers().firstValue("Content-Type")).contains("text/plain");
        }
        assertThat(dyno.connections).as("connections the dyno accepted for 21 requests in a row").hasValue(1);
    }

    @Test
    void aChunkedBodyArrivesWholeAndTheNextRequestGetsAFreshConnection() {
        ScriptedDyno dyno = p.scriptedDyno();
        String host = app("chunked", dyno);
        dyno.on("/", keep("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"));

        assertThat(p.get(host, "/").body()).isEqualTo("hello world");
        assertThat(p.get(host, "/").body()).isEqualTo("hello world");
        assertThat(p.get(host, "/ready").body()).isEqualTo("ready");
    }

    @Test
    void aBodyThatRunsUntilTheDynoClosesArrivesWhole() {
        ScriptedDyno dyno = p.scriptedDyno();
        String host = app("untilclose", dyno);
        dyno.on("/", thenClose("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nall of it, however long", 0));

        HttpResponse<String> r = p.get(host, "/");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("all of it, however long");
        assertThat(p.get(host, "/ready").body()).isEqualTo("ready");
    }

    @Test
    void aBodyLargerThanTheRoutersBufferIsStreamedAndTheConnectionKept() {
        ScriptedDyno dyno = p.scriptedDyno();
        String host = app("large", dyno);
        String body = "0123456789abcdef".repeat(12_000); // 192,000 bytes: many times the 16 KiB buffer
        dyno.on("/", keep("HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body));

        assertThat(p.get(host, "/").body()).isEqualTo(body);
        assertThat(p.get(host, "/").body()).isEqualTo(body);
        assertThat(dyno.connections).hasValue(1);
    }

    @Test
    void headAnd204And304AnswersHaveNoBodyAndKeepTheConnection() {
        ScriptedDyno dyno = p.scriptedDyno();
        String host = app("bodiless", dyno);
        dyno.on("/", keep("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 1234\r\n\r\n"));
        dyno.on("/none", keep("HTTP/1.1 204 No Content\r\n\r\n"));
        dyno.on("/same", keep("HTTP/1.1 304 Not Modified\r\nETag: \"v1\"\r\n\r\n"));

        HttpResponse<String> head = p.send(p.request(host, "/").method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Content-Length")).contains("1234");
        assertThat(head.body()).isEmpty();
        assertThat(p.get(host, "/none").statusCode()).isEqualTo(204);
        HttpResponse<String> same = p.get(host, "/same");
        assertThat(same.statusCode()).isEqualTo(304);
        assertThat(same.headers().firstValue("ETag")).contains("\"v1\"");
        assertThat(p.get(host, "/ready").body()).isEqualTo("ready");
        assertThat(dyno.connections).hasValue(1);
        assertThat(dyno.last().head()).startsWith("GET /ready ");
    }

    @Test
    void interimResponsesArePassedOverForTheFinalOne() {
        ScriptedDyno dyno = p.scriptedDyno();
        String host = app("interim", dyno);
        dyno.on("/", keep("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfinal"));

        HttpResponse<String> r = p.get(host, "/");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("final");
        assertThat(p.get(host, "/ready").body()).isEqualTo("ready");
    }

    @Test
    void aResponseThatIsNotValidHttpIsA502H17AndItsConnectionIsDropped() {
        ScriptedDyno dyno = p.scriptedDyno();
        String host = app("malformed", dyno);
        dyno.on("/status", keep("HTTP/1.1 2OO OK\r\nContent-Length: 0\r\n\r\n"));
        dyno.on("/lengths", keep("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!"));
        dyno.on("/folded", keep("HTTP/1.1 200 OK\r\nX-A: one\r\n two\r\nContent-Length: 0\r\n\r\n"));
        dyno.on("/huge", keep("HTTP/1.1 200 OK\r\nX-Big: " + "b".repeat(20_000) + "\r\nContent-Length: 0\r\n\r\n"));

        for (String path : new String[] {"/status", "/lengths", "/folded", "/huge"}) {
            HttpResponse<String> r = p.get(host, path);
            assertThat(r.statusCode()).as(path).isEqualTo(502);
            assertThat(r.headers().firstValue("X-Slipway-Error")).as(path).contains("H17");
            assertThat(r.body()).as(path).contains("Poorly formatted HTTP response");
        }
        assertThat(p.get(host, "/ready").body()).isEqualTo("ready");
        assertThat(dyno.connections).as("each bad response's connection was closed").hasValue(5);
        await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(p.log.of("malformed"))
                .anySatisfy(l -> assertThat(l).startsWith("at=error code=H17 desc=\"Poorly formatted HTTP response\" method=GET path=\"/folded\"")));
    }

    @Test
    void aConnectionTheDynoClosesWhileIdleIsNeverUsedAgain() {
        ScriptedDyno dyno = p.scriptedDyno();
        String host = app("idleclose", dyno);
        dyno.on("/bye", thenClose("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nbye", 100)); // keep-alive, then closed when idle

        assertThat(p.get(host, "/bye").body()).isEqualTo("bye");
        await().pollDelay(Duration.ofMillis(400)).atMost(Duration.ofSeconds(2)).until(() -> true);
        HttpResponse<String> r = p.get(host, "/ready");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("ready");
        assertThat(dyno.connections).hasValue(2);
    }

    @Test
    void hopByHopHeadersStayOnTheirSideOfTheRouter() {
        ScriptedDyno dyno = p.scriptedDyno();
        String host = app("hops", dyno);
        dyno.on("/", keep("HTTP/1.1 200 OK\r\nConnection: X-Dyno-Secret\r\nX-Dyno-Secret: 1\r\nKeep-Alive: timeout=5\r\n"
                + "X-Kept: yes\r\nContent-Length: 2\r\n\r\nok"));

        String answer = RawHttp.exchange(p.router.port(), "GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close, X-Client-Secret\r\n"
                + "X-Client-Secret: 1\r\nTE: trailers\r\nX-Forwarded-For: 6.6.6.6\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 200 ").contains("\r\nX-Kept: yes\r\n").endsWith("\r\n\r\nok");
        assertThat(answer.toLowerCase()).doesNotContain("x-dyno-secret").doesNotContain("keep-alive:");
        ScriptedDyno.Request seen = dyno.last();
        assertThat(seen.head()).startsWith("GET / HTTP/1.1\r\n").contains("\r\nX-Forwarded-For: 127.0.0.1\r\n").doesNotContain("6.6.6.6");
        assertThat(seen.hasHeader("X-Client-Secret")).isFalse();
        assertThat(seen.hasHeader("TE")).isFalse();
        assertThat(seen.hasHeader("Connection")).isFalse();
    }

    @Test
    void aRequestWhoseHeadersOutgrowARouterBufferReachesTheDynoWhole() {
        ScriptedDyno dyno = p.scriptedDyno();
        String host = app("bighead", dyno);
        dyno.on("/", keep("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
        String cookie = "c".repeat(20_000); // past the 16 KiB buffer, under the router's 32 KiB limit

        HttpResponse<String> r = p.send(p.request(host, "/").header("Cookie", cookie).GET().build());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(dyno.last().head()).contains("\r\nCookie: " + cookie + "\r\n").endsWith("\r\n\r\n");
    }
}
