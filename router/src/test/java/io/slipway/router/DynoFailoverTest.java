package io.slipway.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A web dyno that dies under load costs no request: one without a body whose dyno connection
 * closed before any answer is sent to the app's other dyno, and so is one its dyno refused.
 * The dynos are processes of their own, killed with SIGKILL.
 */
class DynoFailoverTest {
    static final int RATE = 200;          // requests per second
    static final int REQUESTS = 1000;     // five seconds of it
    static final int KILL_AFTER = 300;    // requests sent before web.1 dies
    static RoutedPlatform p;

    @BeforeAll
    static void start() {
        p = RoutedPlatform.start();
    }

    @AfterAll
    static void stop() {
        p.close();
    }

    /** Fresh JVMs answer their first requests slowly; a few hundred first, so the load below meets warm dynos. */
    private static void warmUp(String host) {
        List<CompletableFuture<HttpResponse<String>>> warm = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            warm.add(p.http.sendAsync(p.request(host, "/").GET().build(), HttpResponse.BodyHandlers.ofString()));
            if (i % 20 == 19) {
                warm.forEach(CompletableFuture::join);
            }
        }
        warm.forEach(CompletableFuture::join);
    }

    @Test
    void killingOneOfTwoWebDynosUnderLoadFailsNoRequest() {
        try (DynoProcess one = DynoProcess.start("web.1"); DynoProcess two = DynoProcess.start("web.2")) {
            p.createApp("failover");
            p.addWebDyno("failover", 1, one.port());
            p.addWebDyno("failover", 2, two.port());
            await().atMost(Duration.ofSeconds(5)).until(() -> RoutingTest.routable(p, "failover") == 2);

            warmUp("failover.localhost");

            // Each request spends 40 ms at its dyno, so several are at web.1 when it dies.
            List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
            long begin = System.nanoTime();
            for (int i = 0; i < REQUESTS; i++) {
                LockSupport.parkNanos(begin + i * (1_000_000_000L / RATE) - System.nanoTime());
                if (i == KILL_AFTER) {
                    one.kill();
                }
                sent.add(p.http.sendAsync(p.request("failover.localhost", "/slow?ms=40").GET().build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            List<String> outcomes = new ArrayList<>();
            for (CompletableFuture<HttpResponse<String>> f : sent) {
                try {
                    HttpResponse<String> r = f.get(30, TimeUnit.SECONDS);
                    outcomes.add(r.statusCode() + " " + r.headers().firstValue("X-Slipway-Error").orElse(r.body()));
                } catch (Exception e) {
                    outcomes.add("failed: " + e);
                }
            }
            Map<String, Long> counts = outcomes.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
            assertThat(counts).as("outcomes of %d requests at %d/s with web.1 killed after %d", REQUESTS, RATE, KILL_AFTER)
                    .containsOnlyKeys("200 slow answer from web.1", "200 slow answer from web.2");
            assertThat(counts.get("200 slow answer from web.1")).as("answers from web.1 before it died").isGreaterThan(KILL_AFTER / 3);
            // What happened stays visible: requests the dead dyno dropped say so in their log lines.
            await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(p.log.of("failover"))
                    .anySatisfy(line -> assertThat(line).contains("dyno=web.2").contains("retried_from=web.1").contains("status=200")));
        }
    }
}
