package io.slipway.router;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in web dyno: a real HTTP server on 127.0.0.1 that says who it is, remembers the
 * requests it saw, and has a few paths to misbehave with ({@code /slow}, {@code /upload},
 * {@code /download}).
 */
final class StandInDyno implements AutoCloseable {
    /** What the dyno saw of one request. */
    record Seen(String method, String path, Map<String, List<String>> headers) {
        String header(String name) {
            for (var e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }
    }

    final String name;
    final List<Seen> seen = new CopyOnWriteArrayList<>();
    final AtomicLong uploaded = new AtomicLong();
    /** Set by a test: /download waits for this much to have reached the client before sending the rest. */
    volatile java.util.function.LongSupplier clientReceived = () -> Long.MAX_VALUE;
    /** Set when a download's client had not received the first part after 20 s: the router held it back. */
    volatile boolean downloadHeldBack;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();

    StandInDyno(String name) {
        this.name = name;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    int requests() {
        return seen.size();
    }

    Seen last() {
        return seen.get(seen.size() - 1);
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        seen.add(new Seen(ex.getRequestMethod(), ex.getRequestURI().toString(), Map.copyOf(ex.getRequestHeaders())));
        try (ex) {
            switch (path) {
                case "/slow" -> {
                    sleep(Long.parseLong(query(ex, "ms")));
                    send(ex, 200, "slow answer from " + name);
                }
                case "/upload" -> {
                    long n = 0;
                    byte[] buf = new byte[64 * 1024];
                    try (InputStream in = ex.getRequestBody()) {
                        for (int r; (r = in.read(buf)) > 0; ) {
                            n += r;
                            uploaded.set(n);
                        }
                    }
                    send(ex, 200, Long.toString(n));
                }
                case "/download" -> {
                    long total = Long.parseLong(query(ex, "bytes"));
                    ex.getResponseHeaders().set("Content-Type", "application/octet-stream");
                    ex.sendResponseHeaders(200, total);
                    byte[] buf = new byte[64 * 1024];
                    try (OutputStream out = ex.getResponseBody()) {
                        long sent = 0;
                        while (sent < total) {
                            if (sent >= total / 2) {
                                waitUntilClientHas(Math.min(total / 4, sent));
                            }
                            int n = (int) Math.min(buf.length, total - sent);
                            out.write(buf, 0, n);
                            sent += n;
                        }
                    }
                }
                case "/trickle" -> {
                    // The response starts at once and ends after a pause: a stream, not a slow dyno.
                    ex.sendResponseHeaders(200, 0);
                    OutputStream out = ex.getResponseBody();
                    out.write("first\n".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    sleep(Long.parseLong(query(ex, "ms")));
                    out.write("last\n".getBytes(StandardCharsets.UTF_8));
                    out.close();
                }
                default -> send(ex, 200, "hello from " + name);
            }
        }
    }

    /** Holds back the second half of a download until the client demonstrably got part of the first. */
    private void waitUntilClientHas(long bytes) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (clientReceived.getAsLong() < bytes) {
            if (System.nanoTime() > deadline) {
                downloadHeldBack = true;
                return;
            }
            sleep(5);
        }
    }

    private static String query(HttpExchange ex, String key) {
        for (String kv : String.valueOf(ex.getRequestURI().getQuery()).split("&")) {
            if (kv.startsWith(key + "=")) {
                return kv.substring(key.length() + 1);
            }
        }
        throw new IllegalArgumentException("no " + key + " in " + ex.getRequestURI());
    }

    private void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        Headers h = ex.getResponseHeaders();
        h.set("Content-Type", "text/plain; charset=utf-8");
        h.set("X-Dyno", name);
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
