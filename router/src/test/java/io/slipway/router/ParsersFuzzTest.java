package io.slipway.router;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.undertow.conduits.ChunkedStreamSourceConduit;
import io.undertow.server.DefaultByteBufferPool;
import io.undertow.util.AbstractAttachable;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.HttpString;
import io.undertow.util.ImmediatePooledByteBuffer;
import io.undertow.util.Methods;
import io.undertow.util.PooledAdaptor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Xnio;
import org.xnio.XnioIoThread;
import org.xnio.XnioWorker;
import org.xnio.conduits.EmptyStreamSourceConduit;
import org.xnio.conduits.PushBackStreamSourceConduit;

/**
 * Coverage-guided fuzzing (Jazzer) of the HTTP the router reads and writes by hand or leans on:
 * the dyno's response head ({@link ResponseHead}), the request head it checks and writes for the
 * dyno ({@link RequestGuard}, {@link HostName}, {@link RequestHead}), and the chunked bodies it
 * de-chunks with Undertow's decoder ({@link DynoForwarder}). Each target asserts properties, not
 * examples: only the parser's own rejection is thrown, lengths are within the input, what is
 * parsed round-trips, and nothing loops.
 *
 * <p>The normal test run replays the inputs under {@code src/test/resources/io/slipway/router/
 * ParsersFuzzTestInputs/<target>/} (the crashes found so far among them). With {@code JAZZER_FUZZ=1}
 * and one target selected, Jazzer fuzzes it for {@code maxDuration}: CI does so for each target (the
 * {@code fuzz} profile of router/pom.xml); locally, {@code mvn test -pl router -Pfuzz}.
 */
class ParsersFuzzTest {
    private static final String DURATION = "25s";
    private static XnioWorker worker;

    /** An IO thread for the conduits' wakeups (never used: the whole body is there before the first read). */
    private static synchronized XnioIoThread ioThread() throws IOException {
        if (worker == null) {
            worker = Xnio.getInstance().createWorker(OptionMap.builder().set(Options.WORKER_IO_THREADS, 1).set(Options.THREAD_DAEMON, true).getMap());
        }
        return worker.getIoThread();
    }

    // ---- the dyno's response head ---------------------------------------------------------------

    @FuzzTest(maxDuration = DURATION)
    void responseHead(byte[] data) throws Exception {
        ByteBuffer buf = ByteBuffer.allocate(data.length + 1).put(data);
        ResponseHead head;
        try {
            head = ResponseHead.parse(buf);
        } catch (ResponseHead.Malformed refused) {
            return; // the parser's one way of saying no (answered H17)
        }
        assertThat(buf.position()).as("parse leaves the buffer where it was").isEqualTo(data.length);
        if (head == null) {
            assertThat(endOfHead(data)).as("null only while the head's blank line has not arrived").isNegative();
            return;
        }
        assertThat(head.length).isEqualTo(endOfHead(data));
        assertThat(head.status).isBetween(100, 999);
        assertThat(head.contentLength).isGreaterThanOrEqualTo(ResponseHead.UNTIL_CLOSE);
        if (head.chunked) {
            assertThat(head.contentLength).isEqualTo(ResponseHead.UNTIL_CLOSE);
        }
        HeaderMap headers = head.headers();
        for (HeaderValues values : headers) {
            String name = values.getHeaderName().toString();
            assertThat(HopByHop.is(name)).as("hop-by-hop header %s passed on", name).isFalse();
            assertThat(name).doesNotContain(":", " ", "\t", "\r", "\n");
        }

        // What the router passes on, written out again, reads the same.
        StringBuilder again = new StringBuilder("HTTP/1.1 ").append(head.status).append(" X\r\n");
        for (HeaderValues values : headers) {
            for (String v : values) {
                again.append(values.getHeaderName()).append(": ").append(v).append("\r\n");
            }
        }
        if (head.chunked) {
            again.append("Transfer-Encoding: chunked\r\n");
        }
        byte[] bytes = again.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
        ResponseHead reread = ResponseHead.parse(ByteBuffer.allocate(bytes.length).put(bytes));
        assertThat(reread).as("the head written again").isNotNull();
        assertThat(reread.status).isEqualTo(head.status);
        assertThat(reread.chunked).isEqualTo(head.chunked);
        if (headers.contains("Content-Length") || head.chunked) {
            assertThat(reread.contentLength).isEqualTo(head.contentLength);
        } // else the dyno named Content-Length in Connection: passed on without it, framed by the router's own

        assertThat(reread.length).isEqualTo(bytes.length);
        assertThat(byName(reread.headers())).isEqualTo(byName(headers));
    }

    /** Header values by lower-cased name, each name's values in order: a HeaderMap's own order follows its hash table. */
    private static java.util.Map<String, List<String>> byName(HeaderMap headers) {
        java.util.Map<String, List<String>> m = new java.util.TreeMap<>();
        for (HeaderValues values : headers) {
            m.computeIfAbsent(values.getHeaderName().toString().toLowerCase(java.util.Locale.ROOT), k -> new ArrayList<>()).addAll(values);
        }
        return m;
    }

    /** Just past the first blank line (CRLF CRLF, LF LF, LF CRLF), or -1: a reference for ResponseHead's own search. */
    private static int endOfHead(byte[] data) {
        for (int i = 1; i < data.length; i++) {
            if (data[i] == '\n' && (data[i - 1] == '\n' || (data[i - 1] == '\r' && i >= 2 && data[i - 2] == '\n'))) {
                return i + 1;
            }
        }
        return -1;
    }

    // ---- the request head: checked, routed, written for the dyno ---------------------------------

    @FuzzTest(maxDuration = DURATION)
    void requestHead(FuzzedDataProvider in) {
        HeaderMap headers = new HeaderMap();
        List<String[]> sent = new ArrayList<>();
        int count = in.consumeInt(0, 12);
        for (int i = 0; i < count; i++) {
            String name = in.consumeAsciiString(20);
            String value = new String(in.consumeBytes(40), StandardCharsets.ISO_8859_1);
            if (name.isEmpty() || name.indexOf('\r') >= 0 || name.indexOf('\n') >= 0) {
                continue; // Undertow's parser ends a name there: no request has such a name
            }
            if (HttpString.tryFromString(name) == null) {
                continue;
            }
            headers.add(HttpString.tryFromString(name), value);
            sent.add(new String[] {name, value});
        }
        String target = "/" + in.consumeAsciiString(30).replaceAll("[\\s\\x00-\\x1f\\x7f?#]", ""); // as Undertow's parser leaves a path
        String hostHeader = in.consumeAsciiString(40);
        boolean absolute = in.consumeBoolean();
        if (absolute) { // a request target has no whitespace or control characters: Undertow's parser ends it there
            target = "http://" + hostHeader.replaceAll("[\\s\\x00-\\x1f\\x7f?#]", "") + target;
        }

        long bytes = RequestGuard.checkedHeaderBytes(headers);
        boolean control = sent.stream().anyMatch(h -> h[1].chars().anyMatch(c -> (c < 0x20 && c != '\t') || c == 0x7f));
        boolean badName = sent.stream().anyMatch(h -> !h[0].chars().allMatch(c -> c < 128 && TCHAR.indexOf(c) >= 0 || Character.isLetterOrDigit(c) && c < 128)
                || h[1].matches("(?s):([ \\t].*)?"));
        if (badName || control) {
            // Refused either way; which answer comes first follows the headers' order.
            assertThat(bytes).as("names %s", sent.stream().map(h -> h[0]).toList())
                    .isEqualTo(!control ? RequestGuard.BAD_NAME : !badName ? RequestGuard.BAD_VALUE : bytes).isNegative();
            return;
        }
        assertThat(bytes).isEqualTo(RequestGuard.headerBytes(headers)).isNotNegative();

        String authority = absolute ? RequestGuard.authority(target) : null;
        HostName host = HostName.parse(absolute ? authority : hostHeader);
        if (host == null) {
            return; // a 400
        }
        assertThat(host.name()).isEqualTo(host.name().toLowerCase(java.util.Locale.ROOT)).isNotEmpty();
        assertThat(HostName.parse(host.name())).as("a host name reads as itself").isEqualTo(host);

        ByteBuffer out = ByteBuffer.allocate(64 * 1024);
        assertThat(RequestHead.write(out, Methods.GET, target, absolute, "", headers, host.name(), "127.0.0.1", "http", 80)).isTrue();
        String written = new String(out.array(), 0, out.position(), StandardCharsets.ISO_8859_1);
        // One request line, one line per header the dyno should get, the blank line: nothing smuggled in.
        assertThat(written).endsWith("\r\n\r\n");
        String[] lines = written.substring(0, written.length() - 4).split("\r\n", -1);
        // origin form: the path as the client sent it, without an absolute form's scheme and authority
        // (a path may itself hold "://": "/a:///b" is one)
        String path = absolute ? target.substring("http://".length() + authority.length()) : target;
        assertThat(lines[0]).isEqualTo("GET " + (path.isEmpty() ? "/" : path) + " HTTP/1.1");
        long passedOn = sent.stream().filter(h -> !HopByHop.is(h[0]) && !REPLACED.contains(h[0].toLowerCase(java.util.Locale.ROOT))
                && !connectionTokens(headers).contains(h[0].toLowerCase())).count();
        assertThat(lines).hasSize(1 + (int) passedOn + 5);
        for (int i = 1; i < lines.length; i++) {
            assertThat(lines[i]).doesNotContain("\r", "\n").matches("(?s)[!#$%&'*+.^_`|~0-9A-Za-z-]+: .*");
        }
    }

    private static final String TCHAR = "!#$%&'*+-.^_`|~";
    /** The headers the router sets itself, whatever the client sent under those names. */
    private static final java.util.Set<String> REPLACED = java.util.Set.of(
            "x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "x-forwarded-port", "x-forwarded-server");

    private static List<String> connectionTokens(HeaderMap headers) {
        HeaderValues c = headers.get(io.undertow.util.Headers.CONNECTION);
        return c == null ? List.of() : HopByHop.connectionTokens(c).stream().map(String::toLowerCase).toList();
    }

    // ---- chunked bodies, as DynoForwarder de-chunks a dyno's response -----------------------------

    @FuzzTest(maxDuration = DURATION)
    void chunkedBody(FuzzedDataProvider in) throws IOException {
        int readSize = in.consumeInt(1, 64);
        boolean wellFormed = in.consumeBoolean();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] wire;
        if (wellFormed) {
            // Chunks as a dyno sends them: whatever it de-chunks to must be exactly the body.
            ByteArrayOutputStream w = new ByteArrayOutputStream();
            int chunks = in.consumeInt(0, 8);
            for (int i = 0; i < chunks; i++) {
                byte[] chunk = in.consumeBytes(in.consumeInt(1, 300));
                if (chunk.length == 0) {
                    break;
                }
                body.writeBytes(chunk);
                w.writeBytes((Integer.toHexString(chunk.length) + (in.consumeBoolean() ? ";ext=1" : "") + "\r\n").getBytes(StandardCharsets.US_ASCII));
                w.writeBytes(chunk);
                w.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            w.writeBytes(("0\r\n" + (in.consumeBoolean() ? "X-Trailer: t\r\n" : "") + "\r\n").getBytes(StandardCharsets.US_ASCII));
            wire = w.toByteArray();
        } else {
            wire = in.consumeRemainingAsBytes();
        }

        PushBackStreamSourceConduit source = new PushBackStreamSourceConduit(new EmptyStreamSourceConduit(ioThread()));
        source.pushBack(new PooledAdaptor(new ImmediatePooledByteBuffer(ByteBuffer.wrap(wire))));
        boolean[] finished = new boolean[1];
        ChunkedBody chunked = new ChunkedBody(new ChunkedStreamSourceConduit(source, source, new DefaultByteBufferPool(false, 1024),
                c -> finished[0] = true, new AbstractAttachable() { }, () -> { }));
        ByteArrayOutputStream decoded = new ByteArrayOutputStream();
        ByteBuffer buf = ByteBuffer.allocate(readSize);
        boolean rejected = false;
        int reads = 0;
        try {
            for (int n; (n = chunked.read(buf.clear())) != -1; ) {
                assertThat(++reads).as("reads for %d bytes (a loop?)", wire.length).isLessThanOrEqualTo(2 * wire.length + 10);
                assertThat(n).isBetween(0, readSize);
                decoded.write(buf.array(), 0, n);
                if (n == 0 && !finished[0]) {
                    break; // waiting for more than the dyno sent: the connection's end cuts the body short
                }
            }
        } catch (IOException e) {
            rejected = true; // the decoder's rejection: DynoForwarder closes the client's connection
        }
        assertThat(decoded.size()).isLessThanOrEqualTo(wire.length);
        if (wellFormed) {
            assertThat(rejected).as("a well-formed chunked body was refused").isFalse();
            assertThat(finished[0]).as("the last chunk ends the body").isTrue();
            assertThat(decoded.toByteArray()).isEqualTo(body.toByteArray());
        }
    }
}
