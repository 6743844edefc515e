package io.slipway.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.controller.db.DatabaseUrl;
import io.slipway.controller.testing.Api;
import io.slipway.controller.testing.TestPlatform;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real controller on a real PostgreSQL (its schema, apps created through its API), a router
 * reading routes from that database, and dyno rows written the way the dyno manager writes them,
 * pointing at {@link StandInDyno}s on loopback. Requests go to the router over real sockets.
 */
final class RoutedPlatform implements AutoCloseable {
    private static final AtomicInteger containers = new AtomicInteger();

    final TestPlatform platform;
    final Api api;
    final Router router;
    final CapturedLog log = new CapturedLog();
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final List<AutoCloseable> extras = new ArrayList<>();

    private RoutedPlatform(Duration timeout, java.util.Map<String, String> env) {
        platform = TestPlatform.start(env);
        api = Api.of(platform);
        router = startRouter(databaseUrl(), timeout, log);
    }

    static RoutedPlatform start() {
        return new RoutedPlatform(RouterConfig.DEFAULT_TIMEOUT, java.util.Map.of());
    }

    static RoutedPlatform start(Duration timeout) {
        return new RoutedPlatform(timeout, java.util.Map.of());
    }

    /** A controller started with extra environment (e.g. SLIPWAY_ACME_DIRECTORY). */
    static RoutedPlatform start(java.util.Map<String, String> env) {
        return new RoutedPlatform(RouterConfig.DEFAULT_TIMEOUT, env);
    }

    String databaseUrl() {
        return platform.env().get("DATABASE_URL");
    }

    /** Another router process-alike on the same database (routers are stateless; several may serve). */
    Router startRouter(String databaseUrl, Duration timeout, RequestLog requestLog) {
        return startRouter(databaseUrl, timeout, requestLog, Router.ROUTES_WAIT);
    }

    /** The same, listening after at most {@code routesWait} even without routes. */
    Router startRouter(String databaseUrl, Duration timeout, RequestLog requestLog, Duration routesWait) {
        Router r = Router.start(new RouterConfig("127.0.0.1", 0, "localhost", RouteDatabase.ofUrl(databaseUrl), timeout), requestLog, routesWait);
        extras.add(r);
        return r;
    }

    /** A router serving HTTPS too, with the controller's home (its cert-key, a self-signed platform certificate in tls/). */
    Router startTlsRouter() {
        return startTlsRouter(TlsSettings.Engine.AUTO);
    }

    /** The same, its handshakes done by the TLS engine named (SLIPWAY_ROUTER_TLS_ENGINE). */
    Router startTlsRouter(TlsSettings.Engine engine) {
        Router r = Router.start(new RouterConfig("127.0.0.1", 0, "localhost", RouteDatabase.ofUrl(databaseUrl()), RouterConfig.DEFAULT_TIMEOUT)
                .withTls(new TlsSettings(0, null, null, platform.home(), engine)), log);
        extras.add(r);
        return r;
    }

    // ---- the platform's state, as the controller and dyno manager would write it ------------------

    /** Creates an app through the API; the database tells the router (a trigger on apps). */
    void createApp(String app) {
        assertThat(api.post("/apps", "{\"name\":\"" + app + "\"}").status()).isEqualTo(201);
    }

    void destroyApp(String app) {
        assertThat(api.delete("/apps/" + app).status()).isEqualTo(200);
    }

    void addDomain(String app, String hostname) {
        assertThat(api.post("/apps/" + app + "/domains", "{\"hostname\":\"" + hostname + "\"}").status()).isEqualTo(201);
    }

    /** An up, routable web dyno of the app at {@code port}; returns its container name. */
    String addWebDyno(String app, int index, int port) {
        return addDyno(app, "web", index, port, "up", true);
    }

    String addDyno(String app, String type, int index, Integer port, String state, boolean routable) {
        String container = "slipway-" + app + "-" + type + "-" + index + "-v1-" + containers.incrementAndGet();
        sql("insert into dynos (app_id, type, index, release_version, container_name, port, state, routable) "
                + "select id, '" + type + "', " + index + ", 1, '" + container + "', " + port + ", '" + state + "', " + routable
                + " from apps where name = '" + app + "'");
        return container;
    }

    void setRoutable(String container, boolean routable) {
        sql("update dynos set routable = " + routable + ", updated_at = now() where container_name = '" + container + "'");
    }

    void setState(String container, String state, boolean routable) {
        sql("update dynos set state = '" + state + "', routable = " + routable + " where container_name = '" + container + "'");
    }

    void sql(String statement) {
        DatabaseUrl url = DatabaseUrl.parse(databaseUrl());
        try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password()); var st = c.createStatement()) {
            st.execute(statement);
        } catch (SQLException e) {
            throw new IllegalStateException(statement + ": " + e.getMessage(), e);
        }
    }

    StandInDyno dyno(String name) {
        StandInDyno d = new StandInDyno(name);
        extras.add(d);
        return d;
    }

    ScriptedDyno scriptedDyno() {
        ScriptedDyno d = new ScriptedDyno();
        extras.add(d);
        return d;
    }

    // ---- requests, as a client of the router sends them --------------------------------------------

    HttpResponse<String> get(String host, String path) {
        return send(request(host, path).GET().build());
    }

    HttpRequest.Builder request(String host, String path) {
        return request(router, host, path);
    }

    static HttpRequest.Builder request(Router router, String host, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + router.port() + path))
                .header("Host", host).timeout(Duration.ofSeconds(60));
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        for (AutoCloseable c : extras.reversed()) {
            try {
                c.close();
            } catch (Exception ignored) {
                // best effort
            }
        }
        platform.close();
    }

    /** The router's request lines, by app. */
    static final class CapturedLog implements RequestLog {
        record Line(String app, String text) {}

        final List<Line> lines = new CopyOnWriteArrayList<>();

        @Override
        public void log(String app, LineBuffer line) {
            lines.add(new Line(app, line.toString()));
        }

        List<String> of(String app) {
            return lines.stream().filter(l -> l.app().equals(app)).map(Line::text).toList();
        }
    }
}
