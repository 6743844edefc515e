package io.slipway.router;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A dyno that answers each path with exactly the bytes a test scripted, for responses no server
 * library would send: chunked by hand, interim 1xx, malformed, closed mid-way. It remembers every
 * request head it read and on which of its connections.
 */
final class ScriptedDyno implements AutoCloseable {
    /** One request as the dyno read it: its head, and the number of the connection it came on. */
    record Request(int connection, String head) {
        boolean hasHeader(String name) {
            return head.toLowerCase().contains("\r\n" + name.toLowerCase() + ":");
        }
    }

    /** What to answer: these bytes, then close the connection {@code closeAfterMillis} later (-1: keep it open). */
    record Answer(byte[] bytes, long closeAfterMillis) {
        static Answer keep(String raw) {
            return new Answer(raw.getBytes(StandardCharsets.ISO_8859_1), -1);
        }

        static Answer thenClose(String raw, long afterMillis) {
            return new Answer(raw.getBytes(StandardCharsets.ISO_8859_1), afterMillis);
        }
    }

    final List<Request> requests = new CopyOnWriteArrayList<>();
    final AtomicInteger connections = new AtomicInteger();
    private final Map<String, Answer> script = new ConcurrentHashMap<>();
    private final ServerSocket server;
    private final List<Socket> open = new CopyOnWriteArrayList<>();

    ScriptedDyno() {
        try {
            server = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread.ofVirtual().name("scripted-dyno-accept").start(this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    /** Answers requests for {@code path} with {@code answer}. */
    ScriptedDyno on(String path, Answer answer) {
        script.put(path, answer);
        return this;
    }

    Request last() {
        return requests.getLast();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                open.add(s);
                int number = connections.incrementAndGet();
                Thread.ofVirtual().name("scripted-dyno-" + number).start(() -> serve(s, number));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket s, int number) {
        try (s) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            while (true) {
                String head = readHead(in);
                if (head == null) {
                    return; // the router closed the connection
                }
                requests.add(new Request(number, head));
                String path = head.split(" ", 3)[1];
                Answer a = script.getOrDefault(path, Answer.keep("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"));
                out.write(a.bytes());
                out.flush();
                if (a.closeAfterMillis() >= 0) {
                    Thread.sleep(a.closeAfterMillis());
                    return;
                }
            }
        } catch (IOException | InterruptedException e) {
            // the router went away, or the test ended
        } finally {
            open.remove(s);
        }
    }

    /** A request line and headers up to the blank line; the router sends these requests without a body. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int last4 = 0;
        for (int b; (b = in.read()) >= 0; ) {
            head.write(b);
            last4 = (last4 << 8) | b;
            if (last4 == 0x0d0a0d0a) {
                return head.toString(StandardCharsets.ISO_8859_1);
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : open) {
            s.close();
        }
    }
}
