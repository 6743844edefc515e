package io.slipway.cli;

import io.slipway.controller.docker.DockerEngine;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code pg:backups:*} on a real platform with a real PostgreSQL add-on: rows written with
 * pg:psql, captured, deleted, restored and back; a truncated or altered backup file refused by
 * restore and download; a backup of a stopped add-on failing loudly; addons:destroy's last backup.
 */
class PgBackupsCliTest extends AgainstPlatform {
    @BeforeEach
    void shopWithADatabase() {
        Deploys.createApp(slipway, "shop");
        slipway.ok("addons:create", "postgres", "-a", "shop");
        slipway.ok("pg:psql", "-a", "shop", "-c", "create table items (name text)");
        slipway.ok("pg:psql", "-a", "shop", "-c", "insert into items select 'item ' || i from generate_series(1, 1000) i");
    }

    @Test
    void aCapturedBackupRestoresTheRowsThatWereDeletedAndDownloadsWhole() throws Exception {
        SlipwayCli.Result captured = slipway.ok("pg:backups:capture", "-a", "shop");
        assertThat(captured.out()).matches("b001 of postgres-shop-1 on shop\\.\\.\\. done, \\d+\\.\\d kB, verified\\n");
        String listed = slipway.ok("pg:backups", "-a", "shop").out();
        assertThat(listed).startsWith("=== shop Backups\n").contains("b001").contains("done").contains("yes")
                .contains("postgres-shop-1").contains("manual");

        slipway.ok("pg:psql", "-a", "shop", "-c", "delete from items");
        assertThat(count()).isEqualTo("0");

        slipway.run("pg:backups:restore", "b001", "-a", "shop").failsWith(1, "confirm with --confirm shop");
        slipway.run("pg:backups:restore", "b001", "-a", "shop", "--confirm", "other")
                .failsWith(1, "'other' is not the app; confirm with --confirm shop");
        slipway.run("pg:backups:restore", "b009", "-a", "shop", "--confirm", "shop")
                .failsWith(1, "backup 'b009' does not exist on shop; 'slipway pg:backups -a shop' lists them");
        assertThat(count()).isEqualTo("0");

        String restored = slipway.ok("pg:backups:restore", "b001", "-a", "shop", "--confirm", "shop").out();
        assertThat(restored).startsWith("Restoring b001 on shop... done, replaced the data of postgres-shop-1 (database shop) with b001")
                .contains("1 tables");
        assertThat(count()).isEqualTo("1000");

        Path out = Files.createTempDirectory("backup-download").resolve("shop.dump");
        assertThat(slipway.ok("pg:backups:download", "b001", "-a", "shop", "-o", out.toString()).out())
                .contains("done").contains("checked");
        assertThat(sha256(out)).isEqualTo(sha256(onlyBackupFile()));
        assertThat(Files.readAllBytes(out)).startsWith("PGDMP".getBytes());
        assertThat(slipway.ok("logs", "-a", "shop").out()).contains("Backup b001 of postgres-shop-1 done")
                .contains("Restore of b001 done");
    }

    @Test
    void aTruncatedOrAlteredBackupFileIsRefusedByRestoreAndDownloadAndNothingChanges() throws Exception {
        slipway.ok("pg:backups:capture", "-a", "shop");
        Path file = onlyBackupFile();
        byte[] whole = Files.readAllBytes(file);
        slipway.ok("pg:psql", "-a", "shop", "-c", "delete from items where name < 'item 5'");
        String before = count();
        Path out = Files.createTempDirectory("backup-download").resolve("shop.dump");

        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(whole.length / 2);
        }
        slipway.run("pg:backups:restore", "b001", "-a", "shop", "--confirm", "shop")
                .failsWith(1, "b001's file", "is not the one that was verified", "(truncated); refused, nothing was changed");
        slipway.run("pg:backups:download", "b001", "-a", "shop", "-o", out.toString())
                .failsWith(1, "(truncated); refused");
        assertThat(out).doesNotExist();

        byte[] altered = whole.clone();
        altered[altered.length - 10] ^= 0x5a;
        Files.write(file, altered);
        slipway.run("pg:backups:restore", "b001", "-a", "shop", "--confirm", "shop")
                .failsWith(1, "(altered); refused, nothing was changed");
        slipway.run("pg:backups:download", "b001", "-a", "shop", "-o", out.toString()).failsWith(1, "(altered); refused");
        assertThat(out).doesNotExist();
        assertThat(count()).isEqualTo(before);
    }

    @Test
    void aBackupOfAStoppedAddonFailsLoudlyAndIsListedFailed() {
        String container = "slipway-" + platform.platformId() + "-postgres-shop-1";
        try (DockerEngine docker = DockerEngine.connect()) {
            docker.client().stopContainerCmd(container).exec();
            try {
                SlipwayCli.Result r = slipway.run("pg:backups:capture", "-a", "shop");
                r.failsWith(1, "b001 failed: postgres-shop-1 is not running (its container is exited): nothing was dumped");
                assertThat(r.out()).isEqualTo("b001 of postgres-shop-1 on shop... !\n");
                assertThat(slipway.ok("pg:backups", "-a", "shop").out()).contains("failed: postgres-shop-1 is not running");
                assertThat(slipway.ok("logs", "-a", "shop").out()).contains("Backup b001 of postgres-shop-1 FAILED");
                // And addons:destroy, whose last backup fails, destroys nothing.
                slipway.run("addons:destroy", "postgres-shop-1", "--confirm", "shop")
                        .failsWith(1, "the last backup of postgres-shop-1 (b002) failed", "nothing was destroyed", "--no-backup");
                assertThat(configOf("shop")).containsKey("DATABASE_URL");
            } finally {
                docker.client().startContainerCmd(container).exec();
            }
        }
    }

    @Test
    void destroyKeepsALastBackupListedAfterTheNameIsReused() {
        String destroyed = slipway.ok("addons:destroy", "postgres-shop-1", "--confirm", "shop").out();
        assertThat(destroyed).startsWith("Destroying postgres-shop-1... done")
                .contains("last backup b001 (").contains("verified) kept: slipway pg:backups:download b001 -a shop");
        slipway.ok("addons:create", "postgres", "-a", "shop");
        String listed = slipway.ok("pg:backups", "-a", "shop").out();
        assertThat(listed).contains("b001").contains("postgres-shop-1 (destroyed)").contains("destroy");
        slipway.run("pg:backups:restore", "b001", "-a", "shop", "--confirm", "shop")
                .failsWith(1, "postgres-shop-1, the add-on b001 was taken of, was destroyed; download the backup");
        slipway.ok("pg:backups:delete", "b001", "-a", "shop", "--confirm", "shop");
        assertThat(slipway.ok("pg:backups", "-a", "shop").out()).isEqualTo("No backups of shop\n");
    }

    @Test
    void backupsOfAnAppWithoutPostgresSaySoAndHowToGetOne() {
        Deploys.createApp(slipway, "plain");
        slipway.run("pg:backups:capture", "-a", "plain")
                .failsWith(1, "plain has no PostgreSQL add-on; create one: slipway addons:create postgres -a plain");
        slipway.run("pg:backups:schedule", "-a", "plain", "--at", "02:00")
                .failsWith(1, "plain has no PostgreSQL add-on");
        slipway.run("pg:backups:schedule", "-a", "shop", "--at", "25:00").failsWith(1, "say when, as HH:MM in 24 hours");
        assertThat(slipway.ok("pg:backups:schedule", "-a", "shop", "--at", "02:00", "--tz", "Europe/Paris", "--keep", "7").out())
                .startsWith("Scheduling daily backups of DATABASE on shop... done, postgres-shop-1 at 02:00 Europe/Paris, keeping 7, next ");
    }

    @Test
    void schedulesAreListedAndRemovedAndTheirBackupsStay() {
        assertThat(slipway.ok("pg:backups:schedules", "-a", "shop").out())
                .isEqualTo("No backup schedules on shop; add one: slipway pg:backups:schedule -a shop --at 02:00\n");
        slipway.ok("pg:backups:schedule", "-a", "shop", "--at", "2:30", "--tz", "Europe/Paris", "--keep", "3");
        slipway.ok("pg:backups:capture", "-a", "shop");
        String listed = slipway.ok("pg:backups:schedules", "-a", "shop").out();
        assertThat(listed).startsWith("=== shop Backup Schedules\nAdd-on           At     Time zone     Keep  Next run")
                .containsPattern("postgres-shop-1  02:30  Europe/Paris  3     \\d{4}-\\d\\d-\\d\\d.* +admin\\n");
        assertThat(json(slipway.ok("pg:backups:schedules", "-a", "shop", "--json")).get(0).get("keep").asInt()).isEqualTo(3);

        assertThat(slipway.ok("pg:backups:unschedule", "-a", "shop").out()).isEqualTo("Removing the backup schedule of "
                + "DATABASE on shop... done, postgres-shop-1 was backed up daily at 02:30 Europe/Paris; its backups stay "
                + "(slipway pg:backups -a shop)\n");
        assertThat(slipway.ok("pg:backups:schedules", "-a", "shop").out()).startsWith("No backup schedules on shop");
        assertThat(slipway.ok("pg:backups", "-a", "shop").out()).contains("b001");
        slipway.run("pg:backups:unschedule", "-a", "shop").failsWith(1,
                "postgres-shop-1 has no backup schedule; 'slipway pg:backups:schedules -a shop' lists the app's");
        slipway.run("pg:backups:unschedule", "nothing", "-a", "shop").failsWith(1, "nothing");
    }

    private static String count() {
        return slipway.ok("pg:psql", "-a", "shop", "-c", "copy (select count(*) from items) to stdout").out().strip();
    }

    private static Path onlyBackupFile() throws IOException {
        try (Stream<Path> all = Files.walk(platform.home().resolve("backups"))) {
            List<Path> dumps = all.filter(p -> p.toString().endsWith(".dump")).toList();
            assertThat(dumps).hasSize(1);
            return dumps.getFirst();
        }
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
