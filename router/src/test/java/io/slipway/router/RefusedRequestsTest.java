package io.slipway.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Requests whose framing or Host cannot be trusted are answered by the router and never reach a dyno. */
class RefusedRequestsTest {
    static RoutedPlatform p;
    static StandInDyno web;
    /** A dyno that records every request head byte for byte, so nothing a library would drop goes unseen. */
    static ScriptedDyno raw;

    @BeforeAll
    static void start() {
        p = RoutedPlatform.start();
        web = p.dyno("web.1");
        p.createApp("guarded");
        p.addWebDyno("guarded", 1, web.port());
        raw = p.scriptedDyno().on("/", ScriptedDyno.Answer.keep("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
        p.createApp("recorded");
        p.addWebDyno("recorded", 1, raw.port());
        await().atMost(Duration.ofSeconds(5)).until(() -> p.get("guarded.localhost", "/").statusCode() == 200
                && p.get("recorded.localhost", "/").statusCode() == 200);
    }

    @AfterAll
    static void stop() {
        p.close();
    }

    @Test
    void bothContentLengthAndTransferEncodingIsA400() {
        int before = web.requests();
        String answer = send("POST / HTTP/1.1\r\nHost: guarded.localhost\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: guarded.localhost\r\n\r\n");
        // Undertow's parser refuses this itself (a bare 400, then it closes); RequestGuard would otherwise.
        assertThat(answer).startsWith("HTTP/1.1 400").doesNotContain("hello from").doesNotContain("still open");
        assertThat(web.requests()).isEqualTo(before);
    }

    @Test
    void aTransferCodingOtherThanChunkedIsA400() {
        int before = web.requests();
        assertThat(send("POST / HTTP/1.1\r\nHost: guarded.localhost\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n"))
                .startsWith("HTTP/1.1 400");
        assertThat(web.requests()).isEqualTo(before);
    }

    @Test
    void twoContentLengthsAreA400() {
        int before = web.requests();
        assertThat(send("POST / HTTP/1.1\r\nHost: guarded.localhost\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab"))
                .startsWith("HTTP/1.1 400");
        assertThat(web.requests()).isEqualTo(before);
    }

    @Test
    void aMalformedHostIsA400() {
        assertThat(send("GET / HTTP/1.1\r\nHost: bad host!\r\n\r\n")).startsWith("HTTP/1.1 400").contains("no valid Host");
        assertThat(send("GET / HTTP/1.1\r\nHost: guarded.localhost:80:80\r\n\r\n")).startsWith("HTTP/1.1 400");
    }

    @Test
    void aMissingHostIsA400() {
        assertThat(send("GET / HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 400");
        assertThat(send("GET / HTTP/1.0\r\n\r\n")).startsWith("HTTP/1.0 400").contains("no valid Host");
    }

    @Test
    void twoHostHeadersAreA400() {
        int before = web.requests();
        assertThat(send("GET / HTTP/1.1\r\nHost: guarded.localhost\r\nHost: other.localhost\r\n\r\n")).startsWith("HTTP/1.1 400");
        assertThat(web.requests()).isEqualTo(before);
    }

    @Test
    void oversizedHeadersAreA431() {
        int before = web.requests();
        String answer = send("GET / HTTP/1.1\r\nHost: guarded.localhost\r\nX-Big: " + "a".repeat(40 * 1024) + "\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 431").containsIgnoringCase("X-Slipway-Error: headers_too_large");
        assertThat(web.requests()).isEqualTo(before);
    }

    @Test
    void headersPastTheParserLimitCloseTheConnectionWithA400() {
        int before = web.requests();
        String answer = send("GET / HTTP/1.1\r\nHost: guarded.localhost\r\nX-Huge: " + "a".repeat(300 * 1024) + "\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 400");
        assertThat(web.requests()).isEqualTo(before);
    }

    @Test
    void aRefusedRequestClosesTheConnectionSoNothingAfterItIsRead() {
        String answer = send("POST / HTTP/1.1\r\nHost: guarded.localhost\r\nContent-Length: 0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
                + "GET / HTTP/1.1\r\nHost: guarded.localhost\r\n\r\n");
        assertThat(answer).containsIgnoringCase("Connection: close");
        assertThat(answer.split("HTTP/1.1 ", -1)).hasSize(2); // one answer only
    }

    @Test
    void whitespaceBetweenAHeaderNameAndItsColonIsA400AndNeverReachesTheDyno() {
        int before = raw.requests.size();
        for (String line : new String[] {"X-Note : x", "X-Note\t: x", "X-Note :", "Transfer-Encoding : chunked"}) {
            assertThat(send("GET / HTTP/1.1\r\nHost: recorded.localhost\r\n" + line + "\r\n\r\n")).as(line).startsWith("HTTP/1.1 400");
        }
        assertThat(send("GET / HTTP/1.1\r\nHost: recorded.localhost\r\nX-Note : x\r\n\r\n")).contains("header name holds");
        assertThat(raw.requests).hasSize(before);
    }

    @Test
    void aValueThatMerelyStartsWithAColonIsPassedOn() {
        String answer = send("GET / HTTP/1.1\r\nHost: recorded.localhost\r\nX-Real-Ip: ::1\r\nConnection: close\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 200");
        assertThat(raw.last().head()).contains("\r\nX-Real-Ip: ::1\r\n");
    }

    @Test
    void aControlCharacterInAHeaderValueIsA400AndNeverReachesTheDyno() {
        int before = raw.requests.size();
        for (String value : new String[] {"a\u0000b", "\u0000", "a\u0001b", "esc\u001b[31m", "del\u007f", "a\u000bb"}) {
            String answer = send("GET / HTTP/1.1\r\nHost: recorded.localhost\r\nX-Note: " + value + "\r\n\r\n");
            assertThat(answer).as("value %s", value.chars().mapToObj(c -> String.format("%02x", c)).toList())
                    .startsWith("HTTP/1.1 400").contains("control character");
        }
        assertThat(raw.requests).hasSize(before);
    }

    @Test
    void aTabAndTextBeyondAsciiInAHeaderValueArePassedOn() {
        String answer = send("GET / HTTP/1.1\r\nHost: recorded.localhost\r\nX-Note: a\tb caf\u00e9\r\nConnection: close\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 200");
        // (Undertow's parser hands the tab on as a space, as RFC 9110 lets a recipient do.)
        assertThat(raw.last().head()).containsPattern("\r\nX-Note: a[\t ]b caf\u00e9\r\n");
    }

    private static String send(String raw) {
        return RawHttp.exchange(p.router.port(), raw);
    }
}
