package io.slipway.controller.heroku;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.controller.testing.Api;
import io.slipway.controller.testing.HerokuCli;
import io.slipway.controller.testing.PlatformCertificateFile;
import io.slipway.controller.testing.TestPlatform;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The unmodified Heroku CLI's data verbs on a real PostgreSQL add-on (and a Redis one), with the
 * environment {@code slipway heroku:env} exports: {@code pg:info}, {@code pg:backups},
 * {@code pg:backups:capture}, {@code :download}, {@code :restore}, {@code redis:info}, and
 * {@code pg:psql}, which cannot reach a database on the app's network from this machine and says so.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HerokuCliDataTest {
    private static TestPlatform platform;
    private static Api api;
    private static HerokuCli heroku;

    @BeforeAll
    static void provision() {
        platform = TestPlatform.start();
        api = Api.of(platform);
        Path cert = PlatformCertificateFile.write(platform.home(), "localhost");
        // What `slipway heroku:env` exports besides HEROKU_HOST and HEROKU_API_KEY (HerokuExportsTest checks it does).
        heroku = HerokuCli.of(platform).with(Map.of("HEROKU_DATA_HOST", "127.0.0.1",
                "HEROKU_POSTGRESQL_ADDON_NAME", "postgres", "HEROKU_REDIS_ADDON_NAME", "redis",
                "NODE_EXTRA_CA_CERTS", cert.toString()));
        for (String app : List.of("shop", "empty")) {
            assertThat(api.post("/apps", "{\"name\":\"" + app + "\"}").status()).isEqualTo(201);
        }
        for (String service : List.of("postgres", "redis")) {
            var created = api.post("/apps/shop/addons", "{\"service\":\"" + service + "\"}");
            assertThat(created.status()).as(created.body()).isEqualTo(202);
        }
        Awaitility.await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(300)).until(() ->
                List.of("postgres-shop-1", "redis-shop-1").stream()
                        .allMatch(a -> Api.json(api.get("/addons/" + a)).get("state").asText().equals("available")));
        sql("create table items as select i, md5(i::text) as v from generate_series(1, 1000) i");
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    @Order(1)
    void pgInfoShowsTheDatabaseAsItsServerReportsIt() {
        var r = heroku.run("pg:info", "-a", "shop");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.stdout()).contains("=== DATABASE_URL").containsPattern("Plan:\\s+private-15")
                .containsPattern("Status:\\s+Available").containsPattern("PG Version:\\s+15\\.\\d+")
                .containsPattern("Tables:\\s+1\\b").containsPattern("Data Size:\\s+\\d[\\d.]* MB")
                .containsPattern("Add-on:\\s+postgres-shop-1");

        var named = heroku.run("pg:info", "DATABASE", "-a", "shop");
        assertThat(named.exit()).as(named.all()).isZero();
        assertThat(named.stdout()).containsPattern("Add-on:\\s+postgres-shop-1");
    }

    @Test
    @Order(1)
    void pgInfoOnAnAppWithoutADatabaseSaysItHasNone() {
        var r = heroku.run("pg:info", "-a", "empty");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.stdout()).contains("empty has no heroku-postgresql databases.");

        var capture = heroku.run("pg:backups:capture", "-a", "empty");
        assertThat(capture.exit()).isNotZero();
        assertThat(capture.stderr()).contains("empty has no databases");

        var unknown = heroku.run("pg:info", "NOPE", "-a", "shop");
        assertThat(unknown.exit()).isNotZero();
        assertThat(unknown.stderr()).contains("Unknown database: NOPE. Valid options are: DATABASE");
    }

    @Test
    @Order(1)
    void pgPsqlSaysItCannotReachTheDatabaseFromHereAndWhatToRunInstead() {
        var r = heroku.run("pg:psql", "-c", "select 1", "-a", "shop");
        assertThat(r.exit()).isNotZero();
        assertThat(r.stderr()).contains("postgres-shop-1 is reachable only from shop's dynos")
                .contains("slipway pg:psql -a shop");
    }

    @Test
    @Order(1)
    void redisInfoShowsTheRedisAddOn() {
        var r = heroku.run("redis:info", "-a", "shop");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.stdout()).contains("=== redis-shop-1 (REDIS_URL)").containsPattern("Version:\\s+7\\b")
                .containsPattern("Status:\\s+available");
    }

    @Test
    @Order(2)
    void backupsCaptureTakesABackupThatBackupsLists() {
        var none = heroku.run("pg:backups", "-a", "shop");
        assertThat(none.exit()).as(none.all()).isZero();
        assertThat(none.stdout()).contains("No backups. Capture one with heroku pg:backups:capture");

        var r = heroku.run("pg:backups:capture", "-a", "shop");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.all()).contains("Starting backup of postgres-shop-1").contains("Backing up DATABASE to b001... done");
        var backups = Api.json(api.get("/apps/shop/backups"));
        assertThat(backups).hasSize(1);
        assertThat(backups.get(0).get("status").asText()).isEqualTo("done");

        var list = heroku.run("pg:backups", "-a", "shop");
        assertThat(list.exit()).as(list.all()).isZero();
        assertThat(list.stdout()).containsPattern("b001\\s+\\d{4}-\\d{2}-\\d{2}\\S*\\s+Completed \\d{4}-\\d{2}-\\d{2}\\S*\\s+[\\d.]+\\s*KB\\s+DATABASE")
                .contains("No restores found.");

        var info = heroku.run("pg:backups:info", "b001", "-a", "shop");
        assertThat(info.exit()).as(info.all()).isZero();
        assertThat(info.stdout()).contains("=== Backup b001").containsPattern("Database:\\s+DATABASE")
                .containsPattern("Status:\\s+Completed").contains("backup done: ").contains("verified by pg_restore");
    }

    @Test
    @Order(3)
    void backupsDownloadSavesTheVerifiedDump() throws IOException {
        Path out = Files.createTempDirectory(heroku.home(), "dl-").resolve("shop.dump");
        var r = heroku.run("pg:backups:download", "b001", "-a", "shop", "-o", out.toString());
        assertThat(r.exit()).as(r.all()).isZero();
        byte[] got = Files.readAllBytes(out);
        assertThat(got).startsWith("PGDMP".getBytes(StandardCharsets.US_ASCII));
        assertThat(got).hasSize(Api.json(api.get("/apps/shop/backups/b001")).get("size_bytes").asInt());

        var missing = heroku.run("pg:backups:download", "b042", "-a", "shop", "-o", out.toString());
        assertThat(missing.exit()).isNotZero();
        assertThat(missing.stderr()).contains("backup 'b042' does not exist on shop");
    }

    @Test
    @Order(4)
    void backupsRestorePutsTheBackupsDataBack() {
        sql("delete from items where i > 10");
        var r = heroku.run("pg:backups:restore", "b001", "-a", "shop", "--confirm", "shop");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.all()).contains("Starting restore of b001 to postgres-shop-1").contains("Restoring... done");
        assertThat(sql("select count(*) from items")).isEqualTo("1000");

        var list = heroku.run("pg:backups", "-a", "shop");
        assertThat(list.stdout()).containsPattern("r\\d{3}\\s+\\S+\\s+Completed \\S+\\s+[\\d.]+\\s*KB\\s+DATABASE");

        var wrong = heroku.run("pg:backups:restore", "https://example.com/a.dump", "-a", "shop", "--confirm", "shop");
        assertThat(wrong.exit()).isNotZero();
        assertThat(wrong.stderr()).contains("Slipway restores its own backups only");
        assertThat(sql("select count(*) from items")).isEqualTo("1000");
    }

    /** Runs SQL in the add-on's container (as its own psql, never over the network from here). */
    private static String sql(String query) {
        try {
            Process p = new ProcessBuilder("docker", "exec", "slipway-" + platform.platformId() + "-postgres-shop-1",
                    "psql", "-XAtqc", query).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
            return out;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
