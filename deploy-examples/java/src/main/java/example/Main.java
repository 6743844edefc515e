package example;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/** Slipway's Java example: one line of greeting over HTTP on $PORT (factor VII). */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws IOException {
        String app = env("SLIPWAY_APP", "java-example");
        int port = Integer.parseInt(env("PORT", "5000"));

        HttpServer server = HttpServer.create(new InetSocketAddress("0.0.0.0", port), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", exchange -> {
            String body = exchange.getRequestURI().getPath().equals("/health") ? "ok\n" : greetingLine(app) + "\n";
            respond(exchange, body);
            System.out.println(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " 200");
        });
        // SIGTERM runs shutdown hooks: stop accepting, let requests in flight finish (factor IX).
        Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(1)));
        server.start();
        System.out.println(app + ": listening on 0.0.0.0:" + port + " (Java " + Runtime.version() + ")");
    }

    static String greetingLine(String app) {
        String dyno = System.getenv("DYNO");
        String where = "java example" + (dyno == null || dyno.isEmpty() ? "" : ", " + dyno);
        return env("GREETING", "Hello") + " from " + app + " (" + where + ")";
    }

    private static void respond(HttpExchange exchange, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isEmpty() ? fallback : value;
    }
}
