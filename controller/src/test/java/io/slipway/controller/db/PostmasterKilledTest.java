package io.slipway.controller.db;

import static io.slipway.controller.testing.Api.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.controller.docker.DockerEngine;
import io.slipway.controller.docker.Labels;
import io.slipway.controller.testing.Api;
import io.slipway.controller.testing.ControllerProcess;
import io.slipway.controller.testing.GitPush;
import io.slipway.controller.testing.RoutableDynos;
import io.slipway.controller.testing.TestPlatform;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A fault test: {@code kill -9} of the embedded PostgreSQL's postmaster under a running controller
 * (its own process, as {@code ./slipway up} runs it). The controller starts the server again, the
 * API answers 200 within 10 s, nothing it acknowledged is lost, and the dyno manager restarts a
 * dyno that died while the database was away.
 */
class PostmasterKilledTest {
    static final GitPush buildpack = GitPush.of(Path.of("src/test/resources/fixtures/hello-buildpack"));
    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void aKilledPostmasterIsBackWithinTenSecondsWithEveryAcknowledgedWriteAndDynosReconcileAgain() throws Exception {
        TestPlatform platform = TestPlatform.startEmbedded();
        try (DockerEngine docker = DockerEngine.connect()) {
            Api api = Api.of(platform);
            deployWeb(platform, api);
            assertThat(api.post("/apps", "{\"name\":\"ledger\"}").status()).isEqualTo(201);
            platform.stopController();
            Path log = platform.home().resolve("controller.log");
            try (ControllerProcess controller = ControllerProcess.start(platform.env(), log)) {
                assertDurableSettings(platform.database());
                Map<String, String> acknowledged = new LinkedHashMap<>();
                for (int i = 0; i < 20; i++) {
                    assertThat(write(api, "BEFORE_" + i, acknowledged)).isEqualTo(200);
                }
                EmbeddedPostgres server = EmbeddedPostgres.underHome(platform.home());
                long postmaster = server.postmasterPid().orElseThrow();

                System.out.println(java.time.LocalTime.now() + " kill -9 of postmaster pid " + postmaster);
                long killedAt = System.nanoTime();
                assertThat(ProcessHandle.of(postmaster).orElseThrow().destroyForcibly()).isTrue();
                docker.client().killContainerCmd(webContainer(docker, platform)).exec(); // a crash while nobody can record it

                List<Api.Response> refusals = new ArrayList<>();
                long backAt = 0;
                int afterBack = 0;
                for (int i = 0; afterBack < 10 && System.nanoTime() - killedAt < Duration.ofSeconds(30).toNanos(); i++) {
                    Api.Response r = api.patch("/apps/ledger/config-vars", "{\"AFTER_" + i + "\":\"v" + i + "\"}");
                    if (r.status() == 200) {
                        acknowledged.put("AFTER_" + i, "v" + i);
                        backAt = backAt == 0 ? System.nanoTime() : backAt;
                        afterBack++;
                    } else {
                        assertThat(r.status()).as(r.body()).isEqualTo(503);
                        refusals.add(r);
                        Thread.sleep(50);
                    }
                }
                double seconds = backAt == 0 ? Double.NaN : (backAt - killedAt) / 1e9;
                System.out.printf("postmaster pid %d killed: API answered 200 again after %.2f s (%d refusals: %s)%n",
                        postmaster, seconds, refusals.size(), refusals.stream()
                                .map(refused -> json(refused).get("message").asText().replaceAll("[0-9.]+ s ago", "N s ago"))
                                .collect(java.util.stream.Collectors.groupingBy(m -> m, java.util.stream.Collectors.counting())));
                assertThat(backAt).as("the API never answered 200 again; log: %s", log).isNotZero();
                assertThat(seconds).isLessThan(10);
                assertThat(refusals).as("503s while the database restarts")
                        .anyMatch(refused -> refused.body().contains("database_unavailable") && refused.body().contains("restarting"));

                JsonNode stored = json(api.get("/apps/ledger/config-vars"));
                acknowledged.forEach((key, value) ->
                        assertThat(stored.path(key).asText(null)).as("acknowledged write %s", key).isEqualTo(value));
                assertThat(server.postmasterPid().orElseThrow()).isNotEqualTo(postmaster);

                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    JsonNode web = json(api.get("/apps/shop/dynos")).get(0);
                    assertThat(web.get("state").asText()).isEqualTo("up");
                    assertThat(web.get("restarts").asInt()).isGreaterThanOrEqualTo(1);
                    assertThat(RoutableDynos.ports(platform, "shop")).hasSize(1);
                    assertThat(get(RoutableDynos.ports(platform, "shop").get(0))).isEqualTo("HELLO WORLD\n");
                });

                // Dead again soon after its restart: it is restarted after a wait, and the log says so.
                long second = server.postmasterPid().orElseThrow();
                assertThat(ProcessHandle.of(second).orElseThrow().destroyForcibly()).isTrue();
                long secondKill = System.nanoTime();
                await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                        .until(() -> api.get("/apps/ledger/config-vars").status() == 200);
                System.out.printf("killed again: API answered 200 again after %.2f s%n", (System.nanoTime() - secondKill) / 1e9);

                String text = Files.readString(log);
                text.lines().filter(l -> l.contains("database:") || l.contains("passes work again")
                        || l.contains("Quartz") || l.contains("quartz")).forEach(System.out::println);
                assertThat(text).contains("database: postmaster pid " + postmaster + " exited; restarting")
                        .containsPattern("database: back after \\d+ ms")
                        .containsPattern("database: postmaster pid " + second
                                + " exited again \\d+ s after its restart \\(2 in a row\\); restarting in 1 s");
            }
            platform.startController();
        } finally {
            platform.close();
        }
    }

    @Test
    void aServerThatCannotStartIsTriedAgainWithGrowingWaitsAndTheApiSaysItIsRestarting() throws Exception {
        TestPlatform platform = TestPlatform.startEmbedded();
        Path postgresLog = platform.home().resolve("postgres/postgres.log");
        try {
            Api api = Api.of(platform);
            assertThat(api.post("/apps", "{\"name\":\"ledger\"}").status()).isEqualTo(201);
            platform.stopController();
            Path log = platform.home().resolve("controller.log");
            try (ControllerProcess controller = ControllerProcess.start(platform.env(), log)) {
                Map<String, String> acknowledged = new LinkedHashMap<>();
                assertThat(write(api, "KEPT", acknowledged)).isEqualTo(200);
                long postmaster = EmbeddedPostgres.underHome(platform.home()).postmasterPid().orElseThrow();
                // pg_ctl cannot open the server's log now, so every start fails at once until it can.
                Files.setPosixFilePermissions(postgresLog, Set.of());

                assertThat(ProcessHandle.of(postmaster).orElseThrow().destroyForcibly()).isTrue();
                await().atMost(Duration.ofSeconds(20)).until(() -> Files.readString(log).contains("database: start 3 failed"));
                Api.Response meanwhile = api.get("/apps/ledger/config-vars");
                assertThat(meanwhile.status()).isEqualTo(503);
                assertThat(json(meanwhile).get("message").asText()).startsWith("the platform database is restarting")
                        .endsWith("try again in a few seconds");
                Files.setPosixFilePermissions(postgresLog, Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));

                // The fourth start is due 4 s after the third failed.
                await().atMost(Duration.ofSeconds(10)).until(() -> api.get("/apps/ledger/config-vars").status() == 200);
                assertThat(json(api.get("/apps/ledger/config-vars")).path("KEPT").asText()).isEqualTo("kept");
                // Quartz's job store was refused during the outage (its cluster check-in logs the error) and
                // tries again after its retry interval (15 s): the scheduler checks in again, so schedules fire.
                long back = System.currentTimeMillis();
                await().atMost(Duration.ofSeconds(30)).until(() -> lastQuartzCheckin(platform.database()) > back);
                String text = Files.readString(log);
                text.lines().filter(l -> l.contains("database:") || l.contains("passes work again")
                        || l.contains("Quartz") || l.contains("quartz") || l.contains("Cluster")).forEach(System.out::println);
                assertThat(text).contains("database: postmaster pid " + postmaster + " exited; restarting")
                        .containsPattern("database: start 1 failed after \\d+ ms .*; trying again in 1 s")
                        .containsPattern("database: start 2 failed after \\d+ ms .*; trying again in 2 s")
                        .containsPattern("database: start 3 failed after \\d+ ms .*; trying again in 4 s")
                        .containsPattern("database: back after \\d+ ms \\(postmaster pid \\d+, 3 failed start\\(s\\) before\\)");
            }
            platform.startController();
        } finally {
            if (Files.exists(postgresLog)) {
                Files.setPosixFilePermissions(postgresLog, Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
            }
            platform.close();
        }
    }

    /** PostgreSQL's defaults, which make a commit durable before it is acknowledged: nothing may turn them off. */
    private static void assertDurableSettings(DatabaseUrl url) throws Exception {
        try (var c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password()); var st = c.createStatement()) {
            for (String setting : List.of("fsync", "synchronous_commit", "full_page_writes")) {
                var rs = st.executeQuery("show " + setting);
                rs.next();
                assertThat(rs.getString(1)).as(setting).isEqualTo("on");
            }
        }
    }

    private static long lastQuartzCheckin(DatabaseUrl url) throws Exception {
        try (var c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password()); var st = c.createStatement();
             var rs = st.executeQuery("select coalesce(max(last_checkin_time), 0) from qrtz_scheduler_state")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static int write(Api api, String key, Map<String, String> acknowledged) {
        Api.Response r = api.patch("/apps/ledger/config-vars", "{\"" + key + "\":\"" + key.toLowerCase() + "\"}");
        if (r.status() == 200) {
            acknowledged.put(key, key.toLowerCase());
        }
        return r.status();
    }

    private static void deployWeb(TestPlatform platform, Api api) {
        assertThat(api.post("/apps", "{\"name\":\"shop\"}").status()).isEqualTo(201);
        api.patch("/apps/shop/config-vars", "{\"BUILDPACK_URL\":\"file://" + buildpack.dir() + "\"}");
        GitPush app = GitPush.init().write("hello.txt", "hello world\n")
                .write("Procfile", "web: python3 -m http.server $PORT\n").commit("first");
        GitPush.Result push = app.push(platform.apiUrl(), "shop", platform.adminToken());
        assertThat(push.exit()).as(push.output()).isZero();
    }

    private static String webContainer(DockerEngine docker, TestPlatform platform) {
        var running = docker.client().listContainersCmd()
                .withLabelFilter(Map.of(Labels.PLATFORM, platform.platformId(), Labels.APP, "shop", Labels.TYPE, "web"))
                .exec();
        assertThat(running).hasSize(1);
        return running.get(0).getId();
    }

    private static String get(int port) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/compiled.txt"))
                .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
