package io.slipway.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.undertow.util.HeaderMap;
import io.undertow.util.HttpString;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Reading a dyno's response head: framing, keep-alive, and what is refused as unreadable. */
class ResponseHeadTest {
    /** The bytes as they sit in the router's read buffer: written, position at their end. */
    static ByteBuffer received(String raw) {
        return ByteBuffer.allocate(1024).put(raw.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void aHeadIsReadOnlyOnceItsBlankLineHasArrived() throws Exception {
        assertThat(ResponseHead.parse(received("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n"))).isNull();
        ResponseHead head = ResponseHead.parse(received("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
        assertThat(head.status).isEqualTo(200);
        assertThat(head.length).isEqualTo("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n".length());
        assertThat(head.contentLength).isEqualTo(2);
        assertThat(head.keepAlive).isTrue();
        assertThat(head.headers().getFirst("Content-Length")).isEqualTo("2");
    }

    @Test
    void theFramingFollowsRfc9112() throws Exception {
        ResponseHead chunked = ResponseHead.parse(received("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"));
        assertThat(chunked.chunked).isTrue();
        assertThat(chunked.headers().contains("Transfer-Encoding")).isFalse();

        ResponseHead both = ResponseHead.parse(received("HTTP/1.1 200 OK\r\nContent-Length: 9\r\nTransfer-Encoding: chunked\r\n\r\n"));
        assertThat(both.chunked).isTrue();
        assertThat(both.headers().contains("Content-Length")).isFalse();
        assertThat(both.keepAlive).as("a response framed two ways is not trusted with the next request").isFalse();

        ResponseHead untilClose = ResponseHead.parse(received("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n"));
        assertThat(untilClose.chunked).isFalse();
        assertThat(untilClose.contentLength).isEqualTo(ResponseHead.UNTIL_CLOSE);
        assertThat(untilClose.keepAlive).isFalse();
    }

    @Test
    void keepAliveIsHttp11sDefaultAndHttp10sOnRequest() throws Exception {
        assertThat(ResponseHead.parse(received("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")).keepAlive).isFalse();
        assertThat(ResponseHead.parse(received("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n")).keepAlive).isFalse();
        assertThat(ResponseHead.parse(received("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n")).keepAlive).isTrue();
    }

    @Test
    void hopByHopHeadersAndThoseConnectionNamesAreLeftOut() throws Exception {
        ResponseHead head = ResponseHead.parse(received("HTTP/1.1 200 OK\r\nConnection: x-private\r\nX-Private: 1\r\n"
                + "Keep-Alive: timeout=5\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\nContent-Length: 0\r\n\r\n"));
        assertThat(head.headers().contains("X-Private")).isFalse();
        assertThat(head.headers().contains("Keep-Alive")).isFalse();
        assertThat(head.headers().contains("Connection")).isFalse();
        assertThat(head.headers().get("Set-Cookie")).containsExactly("a=1", "b=2");
    }

    @Test
    void anInterimResponseIsReadAsOneAndBareLineFeedsAreAccepted() throws Exception {
        ResponseHead interim = ResponseHead.parse(received("HTTP/1.1 103 Early Hints\nLink: </a.css>\n\nHTTP/1.1 200 OK\n"));
        assertThat(interim.interim()).isTrue();
        assertThat(interim.length).isEqualTo("HTTP/1.1 103 Early Hints\nLink: </a.css>\n\n".length());
    }

    @Test
    void headsThatCanBeReadTwoWaysAreRefused() {
        for (String raw : new String[] {
                "HTTP/1.1 2OO OK\r\n\r\n",
                "HTTP/2.0 200 OK\r\n\r\n",
                "ICY 200 OK\r\n\r\n",
                "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n",
                "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
                "HTTP/1.1 200 OK\r\nX-A: one\r\n two\r\n\r\n",
                "HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n",
                "HTTP/1.1 200 OK\r\n: no name\r\n\r\n"}) {
            assertThatThrownBy(() -> ResponseHead.parse(received(raw))).as(raw).isInstanceOf(ResponseHead.Malformed.class);
        }
    }

    @Test
    void aValueIsPassedOnAsTheDynoSentItEachTimeEvenWhenItsNameWasMetBefore() throws Exception {
        String[] dates = {"Tue, 24 Nov 2026 23:00:00 GMT", "Tue, 24 Nov 2026 23:00:01 GMT", "Tue, 24 Nov 2026 23:00:01 GMT",
                "Wed, 24 Nov 2026 23:00:01 GMT", "Tue, 24 Nov 2026", "", "Tue, 24 Nov 2026 23:00:01 GMT"};
        for (String date : dates) {
            ResponseHead head = ResponseHead.parse(received("HTTP/1.1 200 OK\r\nDate: " + date + "\r\nContent-Length: 0\r\n\r\n"));
            assertThat(head.headers().getFirst("Date")).isEqualTo(date);
        }
        ResponseHead otherCase = ResponseHead.parse(received("HTTP/1.1 200 OK\r\ndate: x\r\nContent-Length: 0\r\n\r\n"));
        assertThat(otherCase.headers().getHeaderNames()).extracting(Object::toString).contains("date");
    }

    @Test
    void manyHeadersAndManyNamesAreAllPassedOnInOrder() throws Exception {
        StringBuilder raw = new StringBuilder("HTTP/1.1 200 OK\r\n");
        for (int i = 0; i < 300; i++) {
            raw.append("X-Name-").append(i).append(": ").append(i).append("\r\n");
        }
        ResponseHead head = ResponseHead.parse(ByteBuffer.allocate(16 * 1024).put(raw.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1)));
        HeaderMap headers = head.headers();
        assertThat(headers.size()).isEqualTo(300);
        for (int i = 0; i < 300; i++) {
            assertThat(headers.getFirst("X-Name-" + i)).isEqualTo(String.valueOf(i));
        }
    }

    @Test
    void theRoutersOwnHeadersStandAndTheDynosOthersAreAdded() throws Exception {
        ResponseHead head = ResponseHead.parse(received("HTTP/1.1 200 OK\r\nX-Request-Id: dyno-1\r\nSet-Cookie: a=1\r\n"
                + "X-Request-Id: dyno-2\r\nSet-Cookie: b=2\r\nContent-Length: 0\r\n\r\n"));
        HeaderMap response = new HeaderMap();
        response.put(HttpString.tryFromString("X-Request-Id"), "router-id");
        head.copyTo(response);
        assertThat(response.get("X-Request-Id")).containsExactly("router-id");
        assertThat(response.get("Set-Cookie")).containsExactly("a=1", "b=2");
        assertThat(response.get("Content-Length")).containsExactly("0");
    }
}
