package io.slipway.controller.addons;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SHA-256 a backup is checked by before a restore or a download: the same whoever computes it. */
class BackupFilesTest {
    @TempDir
    Path dir;

    @Test
    void aFilesSha256IsTheOneTheJdkComputesAndChangesWithOneByte() throws Exception {
        byte[] data = new byte[3 * 1024 * 1024 + 17];
        new Random(42).nextBytes(data);
        Path file = dir.resolve("b001.dump");
        Files.write(file, data);

        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        assertThat(BackupFiles.sha256(file)).isEqualTo(expected);

        data[data.length / 2] ^= 1;
        Files.write(file, data);
        assertThat(BackupFiles.sha256(file)).isNotEqualTo(expected);
    }
}
