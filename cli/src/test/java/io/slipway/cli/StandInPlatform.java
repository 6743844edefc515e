package io.slipway.cli;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for the controller's API that answers each {@code METHOD /path} with a canned JSON
 * body, as the API contract (the records in {@code io.slipway.api}) describes it, and records
 * what the CLI sent. For output a real platform cannot be made to produce on demand (a dyno
 * mid-backoff, a failed release) and for the exact requests a verb makes.
 */
final class StandInPlatform implements AutoCloseable {
    /** One request as the stand-in saw it; {@code path} is decoded, {@code query} is as sent (null when none). */
    record Request(String method, String path, String body, String query) {
        Request(String method, String path, String body) {
            this(method, path, body, null);
        }
    }

    private record Answer(int status, String body) {}

    private final HttpServer server;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    StandInPlatform() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            requests.add(new Request(method, path, body, exchange.getRequestURI().getRawQuery()));
            Answer answer = answers.getOrDefault(method + " " + path, new Answer(404,
                    "{\"id\":\"not_found\",\"message\":\"no such API route: " + method + " " + path + "\"}"));
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                exchange.getResponseBody().write(bytes);
            }
            exchange.close();
        });
        server.start();
    }

    /** Answers {@code "GET /apps/shop/dynos"} with this status and JSON. */
    StandInPlatform answer(String methodAndPath, int status, String json) {
        answers.put(methodAndPath, new Answer(status, json));
        return this;
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The one request the CLI made, having checked it made exactly one. */
    Request only() {
        if (requests.size() != 1) {
            throw new AssertionError("expected one request, got " + requests);
        }
        return requests.getFirst();
    }

    /** A CLI pointed at this stand-in with a token, as after {@code slipway login}. */
    SlipwayCli cli(Path home) {
        return SlipwayCli.withEnv(Map.of(
                "SLIPWAY_HOME", home.toString(),
                "SLIPWAY_API_URL", "http://127.0.0.1:" + server.getAddress().getPort(),
                "SLIPWAY_API_TOKEN", "tok-123",
                "GIT_CEILING_DIRECTORIES", home.getParent().toString()), home);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
