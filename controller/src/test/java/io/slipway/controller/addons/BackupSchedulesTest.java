package io.slipway.controller.addons;

import static io.slipway.controller.testing.Api.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.controller.app.AppService;
import io.slipway.controller.db.Database;
import io.slipway.controller.docker.DockerEngine;
import io.slipway.controller.logs.LogLine;
import io.slipway.controller.logs.LogSink;
import io.slipway.controller.schedule.Cron;
import io.slipway.controller.schedule.ScheduleService;
import io.slipway.controller.testing.Api;
import io.slipway.controller.testing.TestPlatform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Scheduled backups through the platform's Quartz scheduler (a seconds-level cron, the hook the
 * schedule tests use), with retention: the newest N scheduled backups are kept, older ones' files
 * and rows go, a manual backup stays. And a backup directory that cannot be written is refused at start.
 */
class BackupSchedulesTest {
    static TestPlatform platform;
    static Api api;
    static DockerEngine docker;

    @BeforeAll
    static void start() {
        platform = TestPlatform.start(Map.of("SLIPWAY_DYNO_GRACE", "2s"));
        api = Api.of(platform);
        docker = DockerEngine.connect();
        new ServiceImages(docker, Path.of("..", "buildpacks").toAbsolutePath().normalize()).ensure(Service.POSTGRES, line -> { });
    }

    @AfterAll
    static void stop() {
        String id = platform.platformId();
        platform.close();
        Networks.removeEverythingOf(docker, id);
        docker.close();
    }

    @Test
    void aScheduleWithKeepTakesBackupsAndPrunesTheOlderOnes() throws Exception {
        assertThat(api.post("/apps", "{\"name\":\"nightly\"}").status()).isEqualTo(201);
        assertThat(api.post("/apps/nightly/addons", "{\"service\":\"postgres\"}").status()).isEqualTo(202);
        await().atMost(Duration.ofMinutes(2)).until(() -> json(api.get("/addons/postgres-nightly-1")).get("state").asText()
                .equals("available"));
        assertThat(api.post("/apps/nightly/backups", "{}").status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> backups().getFirst().get("status").asText().equals("done"));

        Database db = Database.open(platform.database(), Duration.ofSeconds(5), Duration.ofSeconds(10));
        List<LogLine> events = new CopyOnWriteArrayList<>();
        ScheduleService quartz = new ScheduleService(db, null, LogSink.NULL, Clock.systemUTC(),
                new ScheduleService.Settings(Duration.ofMinutes(1), Duration.ofMinutes(1), Duration.ofSeconds(2),
                        Duration.ofSeconds(1), 100));
        try {
            AppService apps = new AppService(db);
            AddonStore store = new AddonStore(db);
            AddonContainers containers = new AddonContainers(docker, platform.platformId());
            Psql psql = new Psql(store, containers);
            BackupStore backupStore = new BackupStore(db);
            BackupFiles files = BackupFiles.open(platform.env(), platform.home());
            BackupService backups = new BackupService(backupStore, store, psql, containers, files, events::add);
            BackupSchedules schedules = new BackupSchedules(backupStore, store, apps, psql, backups, files, quartz, events::add);
            quartz.start();
            Cron everyThreeSeconds = new Cron("*/3 * * * * ?", "*/3 * * * * ?");
            var app = apps.get("nightly");
            schedules.schedule(app, store.find("postgres-nightly-1").orElseThrow(), everyThreeSeconds, "every 3 s",
                    ZoneId.of("UTC"), 2, "test");

            // Four scheduled backups at least (b002 … b005), of which only the newest two are left.
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
                List<JsonNode> scheduled = backups().stream().filter(b -> b.get("trigger").asText().equals("schedule")).toList();
                int newest = scheduled.stream().mapToInt(b -> Integer.parseInt(b.get("id").asText().substring(1))).max().orElse(0);
                return newest >= 5 && scheduled.stream().filter(b -> b.get("status").asText().equals("done")).count() == 2
                        && scheduled.stream().noneMatch(b -> b.get("id").asText().equals("b002"));
            });
            schedules.unschedule(app, null, "test");
            await().atMost(Duration.ofSeconds(30)).until(() -> backups().stream().noneMatch(b -> b.get("status").asText().equals("running")));
            List<JsonNode> left = backups();
            assertThat(left.getFirst().get("id").asText()).isEqualTo("b001");
            assertThat(left.getFirst().get("trigger").asText()).isEqualTo("manual");
            assertThat(left.stream().filter(b -> b.get("trigger").asText().equals("schedule")).count()).isLessThanOrEqualTo(3);
            // Every file left is a listed, done backup: the pruned ones' files went with their rows.
            assertThat(dumpFiles()).isEqualTo(left.stream().filter(b -> b.get("status").asText().equals("done")).count());
            // Either scheduler on the database may have fired a slot: the platform's (its app log) or this test's.
            String told = api.get("/apps/nightly/log-stream?lines=1500").body() + "\n"
                    + String.join("\n", events.stream().map(LogLine::text).toList());
            assertThat(told).contains("Backups of postgres-nightly-1 scheduled daily at every 3 s UTC, keeping 2, by test")
                    .contains("Backups of postgres-nightly-1 pruned, keeping the newest 2 scheduled: b002");
        } finally {
            quartz.close();
            db.close();
        }
    }

    @Test
    void aBackupDirectoryThatCannotBeWrittenIsRefusedAtStartWithWhatToDo() throws IOException {
        Path notADir = Files.createTempFile("slipway-backups", ".txt");
        try {
            assertThatThrownBy(() -> BackupFiles.open(Map.of("SLIPWAY_BACKUP_DIR", notADir.resolve("backups").toString()),
                    platform.home()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("the backup directory " + notADir.resolve("backups") + " is not writable (")
                    .hasMessageEndingWith("); set SLIPWAY_BACKUP_DIR to a directory the controller can write, or fix its permissions");
        } finally {
            Files.delete(notADir);
        }
    }

    private static List<JsonNode> backups() {
        List<JsonNode> out = new ArrayList<>();
        json(api.get("/apps/nightly/backups")).forEach(out::add);
        return out;
    }

    private static long dumpFiles() throws IOException {
        try (Stream<Path> all = Files.walk(platform.home().resolve("backups"))) {
            return all.filter(p -> p.toString().endsWith(".dump")).count();
        }
    }
}
