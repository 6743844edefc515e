package io.slipway.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The router never depends on the database being there right now: it starts without it, keeps
 * serving the routes it read while it is gone, and catches up when it is back.
 */
class DatabaseOutageTest {
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
    void theRouterKeepsServingWhileTheDatabaseIsDownAndCatchesUpWhenItIsBack() {
        StandInDyno one = p.dyno("web.1");
        StandInDyno two = p.dyno("web.2");
        p.createApp("steady");
        p.addWebDyno("steady", 1, one.port());
        try (TcpRelay db = relayToDatabase()) {
            Router router = p.startRouter(urlThrough(db), RouterConfig.DEFAULT_TIMEOUT, RequestLog.NONE);
            await().atMost(Duration.ofSeconds(5)).until(() -> get(router, "steady.localhost", "/").statusCode() == 200);

            db.cut();
            await().atMost(Duration.ofSeconds(5)).until(() -> get(router, "localhost", "/metrics").body()
                    .contains("slipway_router_database_connected 0"));
            for (int i = 0; i < 5; i++) {
                assertThat(get(router, "steady.localhost", "/").body()).isEqualTo("hello from web.1");
            }
            assertThat(get(router, "localhost", "/healthz").statusCode()).isEqualTo(200);

            p.addWebDyno("steady", 2, two.port()); // a change the router cannot hear about yet
            db.restore();
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
                get(router, "steady.localhost", "/");
                return two.requests() > 0;
            });
            assertThat(get(router, "localhost", "/metrics").body()).contains("slipway_router_database_connected 1");
        }
    }

    @Test
    void aRouterWhoseDatabaseStaysAwayListensAfterItsWaitAndAnswers503UntilItCanReadRoutes() {
        StandInDyno web = p.dyno("web.1");
        p.createApp("early");
        p.addWebDyno("early", 1, web.port());
        try (TcpRelay db = relayToDatabase()) {
            db.cut();
            long begin = System.nanoTime();
            Router router = p.startRouter(urlThrough(db), RouterConfig.DEFAULT_TIMEOUT, RequestLog.NONE, Duration.ofMillis(800));
            assertThat(Duration.ofNanos(System.nanoTime() - begin)).as("time before it listened").isGreaterThanOrEqualTo(Duration.ofMillis(800));

            assertThat(get(router, "localhost", "/healthz").statusCode()).isEqualTo(200);
            HttpResponse<String> r = get(router, "early.localhost", "/");
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.headers().firstValue("X-Slipway-Error")).contains("routes_unavailable");
            assertThat(get(router, "localhost", "/metrics").body()).contains("slipway_router_routes_loaded 0");

            db.restore();
            await().atMost(Duration.ofSeconds(10)).until(() -> get(router, "early.localhost", "/").statusCode() == 200);
        }
    }

    private static TcpRelay relayToDatabase() {
        return new TcpRelay(URI.create(p.databaseUrl()).getPort());
    }

    private static String urlThrough(TcpRelay relay) {
        URI real = URI.create(p.databaseUrl());
        return real.getScheme() + "://" + real.getRawUserInfo() + "@127.0.0.1:" + relay.port() + real.getRawPath();
    }

    private static HttpResponse<String> get(Router router, String host, String path) {
        return p.send(RoutedPlatform.request(router, host, path).GET().build());
    }
}
