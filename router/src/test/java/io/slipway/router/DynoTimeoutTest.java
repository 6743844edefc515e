package io.slipway.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A dyno has SLIPWAY_ROUTER_TIMEOUT (here 1 s) to start its response; after that it may take its time. */
class DynoTimeoutTest {
    static RoutedPlatform p;
    static StandInDyno web;

    @BeforeAll
    static void start() {
        p = RoutedPlatform.start(Duration.ofSeconds(1));
        web = p.dyno("web.1");
        p.createApp("sluggish");
        p.addWebDyno("sluggish", 1, web.port());
        await().atMost(Duration.ofSeconds(5)).until(() -> p.get("sluggish.localhost", "/").statusCode() == 200);
    }

    @AfterAll
    static void stop() {
        p.close();
    }

    @Test
    void aDynoThatDoesNotAnswerInTimeIsA504H12() {
        long started = System.nanoTime();
        HttpResponse<String> r = p.get("sluggish.localhost", "/slow?ms=3000");
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(r.statusCode()).isEqualTo(504);
        assertThat(r.headers().firstValue("X-Slipway-Error")).contains("H12");
        assertThat(r.body()).contains("Request timeout").contains("H12");
        assertThat(took).isBetween(Duration.ofMillis(900), Duration.ofMillis(2500));
        String id = r.headers().firstValue("X-Request-Id").orElseThrow();
        await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(p.log.of("sluggish")).anySatisfy(line ->
                assertThat(line).startsWith("at=error code=H12 desc=\"Request timeout\" method=GET path=\"/slow?ms=3000\"")
                        .contains("request_id=" + id).contains("dyno=web.1").contains("status=504")));
    }

    @Test
    void theAppStillAnswersAfterATimeout() {
        p.get("sluggish.localhost", "/slow?ms=1500");
        assertThat(p.get("sluggish.localhost", "/").body()).isEqualTo("hello from web.1");
    }

    @Test
    void aStoppingRouterLetsTheRequestInFlightFinish() throws Exception {
        Router router = p.startRouter(p.databaseUrl(), Duration.ofSeconds(5), RequestLog.NONE);
        await().atMost(Duration.ofSeconds(5)).until(() ->
                p.send(RoutedPlatform.request(router, "sluggish.localhost", "/").GET().build()).statusCode() == 200);

        var inFlight = p.http.sendAsync(RoutedPlatform.request(router, "sluggish.localhost", "/slow?ms=1500").GET().build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        Thread.sleep(300); // the request has reached the dyno
        long stopped = System.nanoTime();
        Thread stopping = Thread.ofVirtual().start(router::close);
        Thread.sleep(200);

        assertThat(RawHttp.exchange(router.port(), "GET / HTTP/1.1\r\nHost: sluggish.localhost\r\n\r\n"))
                .as("a request while the router drains").startsWith("HTTP/1.1 200").containsIgnoringCase("Connection: close");
        assertThat(inFlight.get(10, java.util.concurrent.TimeUnit.SECONDS).body()).isEqualTo("slow answer from web.1");
        stopping.join(10_000);
        assertThat(stopping.isAlive()).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - stopped)).as("time to stop").isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aResponseThatStartedInTimeMayStreamLongerThanTheTimeout() {
        HttpResponse<String> r = p.get("sluggish.localhost", "/trickle?ms=2000");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("first\nlast\n");
    }
}
