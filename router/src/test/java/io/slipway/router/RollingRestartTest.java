package io.slipway.router;

import static io.slipway.controller.testing.Api.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.controller.testing.Api;
import io.slipway.controller.testing.GitPush;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code ps:restart} and {@code ps:stop web} of an app with two real web dynos, under steady load
 * through the real router: the dynos are replaced one at a time, each fresh one routable before
 * its old one stops, so no request fails.
 */
class RollingRestartTest {
    private static final Duration LOAD_LIMIT = Duration.ofSeconds(60);
    static RoutedPlatform p;

    @BeforeAll
    static void deploy() {
        p = RoutedPlatform.start();
        GitPush buildpack = GitPush.of(Path.of("../controller/src/test/resources/fixtures/hello-buildpack"));
        p.createApp("shop");
        p.api.patch("/apps/shop/config-vars", "{\"BUILDPACK_URL\":\"file://" + buildpack.dir().toAbsolutePath() + "\"}");
        GitPush app = GitPush.init().write("hello.txt", "hello world\n")
                .write("Procfile", "web: python3 -m http.server $PORT\nworker: sleep infinity\n").commit("first");
        GitPush.Result push = app.push(p.platform.apiUrl(), "shop", p.platform.adminToken());
        assertThat(push.exit()).as(push.output()).isZero();
        Api.Response scaled = p.api.patch("/apps/shop/formation", "{\"updates\":[{\"type\":\"web\",\"quantity\":2}]}");
        assertThat(scaled.status()).as(scaled.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> containers("web").size() == 2 && upWeb() == 2);
    }

    @AfterAll
    static void stop() {
        p.close();
    }

    @Test
    void psRestartReplacesTwoWebDynosOneAtATimeWithoutAFailedRequest() {
        Set<String> before = containers("web");

        Load load = Load.start();
        Api.Response restart = p.api.delete("/apps/shop/dynos");
        assertThat(restart.status()).as(restart.body()).isEqualTo(202);
        assertThat(json(restart).get("message").asText()).contains("one at a time");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                replacedAll(before));
        Load.Result result = load.stop();

        assertThat(result.ok()).as("requests served during the restart").isGreaterThan(50);
        assertThat(result.failures()).as("failed requests during a rolling restart").isEmpty();
        String log = p.api.get("/apps/shop/log-stream?lines=500").body();
        assertThat(log).contains("Restarting on request").contains("restarted on request: a fresh web.2 is up")
                .as("a requested restart is not a crash").doesNotContain("crashed");
    }

    @Test
    void psStopOfTheWebTypeRollsTooAndTheFormationKeepsTwoDynos() {
        Set<String> before = containers("web");

        Load load = Load.start();
        Api.Response stop = p.api.post("/apps/shop/dynos/web/actions/stop", "");
        assertThat(stop.status()).as(stop.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                replacedAll(before));
        Load.Result result = load.stop();

        assertThat(result.failures()).as("failed requests during ps:stop web").isEmpty();
        assertThat(containers("web")).hasSize(2);
    }

    /** Every container that served before is gone and as many fresh ones are up and routable. */
    private static boolean replacedAll(Set<String> before) {
        Set<String> now = containers("web");
        return now.size() == before.size() && now.stream().noneMatch(before::contains) && upWeb() == before.size();
    }

    private static Set<String> containers(String type) {
        Set<String> ids = new HashSet<>();
        for (JsonNode d : json(p.api.get("/apps/shop/dynos"))) {
            if (d.get("type").asText().equals(type)) {
                ids.add(d.get("name").asText() + "@" + d.get("started_at").asText());
            }
        }
        return ids;
    }

    private static int upWeb() {
        int n = 0;
        for (JsonNode d : json(p.api.get("/apps/shop/dynos"))) {
            if (d.get("type").asText().equals("web") && d.get("state").asText().equals("up")) {
                n++;
            }
        }
        return n;
    }

    /** Four clients in a loop through the router until stopped (at most {@link #LOAD_LIMIT}). */
    private record Load(ExecutorService pool, AtomicBoolean running, AtomicInteger ok, Map<String, Integer> failures) {
        record Result(int ok, Map<String, Integer> failures) {}

        static Load start() {
            Load load = new Load(Executors.newFixedThreadPool(4), new AtomicBoolean(true), new AtomicInteger(),
                    new ConcurrentHashMap<>());
            long deadline = System.nanoTime() + LOAD_LIMIT.toNanos();
            for (int i = 0; i < 4; i++) {
                load.pool.execute(() -> {
                    while (load.running.get() && System.nanoTime() < deadline) {
                        try {
                            HttpResponse<String> r = p.get("shop.localhost", "/compiled.txt");
                            if (r.statusCode() == 200 && r.body().equals("HELLO WORLD\n")) {
                                load.ok.incrementAndGet();
                            } else {
                                load.failures.merge(r.statusCode() + " " + r.headers().firstValue("X-Slipway-Error")
                                        .orElse(""), 1, Integer::sum);
                            }
                        } catch (RuntimeException e) {
                            load.failures.merge(e.toString(), 1, Integer::sum);
                        }
                    }
                });
            }
            return load;
        }

        Result stop() {
            running.set(false);
            pool.shutdown();
            try {
                assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new Result(ok.get(), Map.copyOf(failures));
        }
    }
}
