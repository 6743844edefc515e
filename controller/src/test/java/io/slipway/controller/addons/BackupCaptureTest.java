package io.slipway.controller.addons;

import static io.slipway.controller.testing.Api.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.slipway.controller.db.Database;
import io.slipway.controller.docker.DockerEngine;
import io.slipway.controller.testing.Api;
import io.slipway.controller.testing.TestPlatform;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A capture against a real PostgreSQL add-on: pg_dump teed in the add-on into pg_restore (which
 * must read it whole) and sha256sum, the SHA-256 of what reached the store matching the one
 * pg_restore read; and a dump pg_restore cannot read failing with pg_restore's own reason.
 */
class BackupCaptureTest {
    static TestPlatform platform;
    static DockerEngine docker;
    static Database db;
    static Addon addon;
    static AddonContainers containers;

    @BeforeAll
    static void start() {
        platform = TestPlatform.start();
        Api api = Api.of(platform);
        docker = DockerEngine.connect();
        db = Database.open(platform.database(), Duration.ofSeconds(5), Duration.ofSeconds(10));
        new ServiceImages(docker, Path.of("..", "buildpacks").toAbsolutePath().normalize()).ensure(Service.POSTGRES, line -> { });
        assertThat(api.post("/apps", "{\"name\":\"dumps\"}").status()).isEqualTo(201);
        assertThat(api.post("/apps/dumps/addons", "{\"service\":\"postgres\"}").status()).isEqualTo(202);
        await().atMost(Duration.ofMinutes(2)).until(() -> json(api.get("/addons/postgres-dumps-1")).get("state").asText()
                .equals("available"));
        addon = new AddonStore(db).find("postgres-dumps-1").orElseThrow();
        containers = new AddonContainers(docker, platform.platformId());
        var made = containers.exec(addon, List.of("psql", "-XAtqc",
                "create table items as select i, md5(i::text) as v from generate_series(1, 50000) i"), Duration.ofSeconds(60));
        assertThat(made.exitCode()).as(made.stderr()).isZero();
    }

    @AfterAll
    static void stop() {
        String id = platform.platformId();
        db.close();
        platform.close();
        Networks.removeEverythingOf(docker, id);
        docker.close();
    }

    @Test
    void aCaptureStoresTheDumpThatPgRestoreReadWholeInTheAddon() throws Exception {
        BackupFiles files = BackupFiles.open(platform.env(), platform.home());
        Backup backup = new Backup(UUID.randomUUID(), addon.appId(), 1, addon.id(), addon.name(), Backup.Trigger.MANUAL,
                Backup.State.RUNNING, null, null, null, "test", Instant.now(), null);

        BackupCapture.Taken taken = new BackupCapture(new ExecStreams(containers), files).take(addon, backup);

        Path file = files.file(backup);
        assertThat(Files.size(file)).isEqualTo(taken.size()).isGreaterThan(100_000);
        assertThat(BackupFiles.sha256(file)).isEqualTo(taken.sha256());
        assertThat(Files.readAllBytes(file)).startsWith("PGDMP".getBytes());
        try (var left = Files.list(file.getParent())) {
            assertThat(left.map(p -> p.getFileName().toString()).toList()).as("no partial file left")
                    .containsExactly(file.getFileName().toString());
        }
        files.delete(backup);
    }

    @Test
    void aDumpPgRestoreCannotReadFailsTheScriptWithPgRestoresReason() throws Exception {
        // The script as the capture runs it, with a pg_dump that writes what is not a dump.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ExecStreams.Outcome outcome = new ExecStreams(containers).run(addon, List.of("bash", "-c",
                "pg_dump() { head -c 300000 /dev/urandom; }; export -f pg_dump; exec bash -c \"$1\" slipway-backup \"$2\"",
                "outer", BackupCapture.DUMP_AND_VERIFY, addon.database()), out);

        assertThat(outcome.exitCode()).isEqualTo(BackupCapture.VERIFY_FAILED);
        assertThat(outcome.said()).contains("pg_restore: error").doesNotContain("slipway-backup: verified");
        assertThat(out.size()).as("the whole stream still arrived").isEqualTo(300000);
    }

    @Test
    void aDumpOfADatabaseThatIsNotThereFailsWithPgDumpsReason() {
        BackupFiles files = BackupFiles.open(platform.env(), platform.home());
        Addon gone = new Addon(addon.id(), addon.name(), addon.appId(), addon.service(), addon.version(), addon.number(),
                addon.state(), null, null, addon.attachAs(), addon.username(), addon.password(), "nowhere",
                addon.createdBy(), addon.createdAt());
        Backup backup = new Backup(UUID.randomUUID(), addon.appId(), 2, addon.id(), addon.name(), Backup.Trigger.MANUAL,
                Backup.State.RUNNING, null, null, null, "test", Instant.now(), null);

        assertThatThrownBy(() -> new BackupCapture(new ExecStreams(containers), files).take(gone, backup))
                .isInstanceOf(BackupCapture.Failed.class)
                .hasMessageStartingWith("pg_dump failed (exit 1: ")
                .hasMessageContaining("database \"nowhere\" does not exist");
        assertThat(files.file(backup)).doesNotExist();
    }
}
