package io.slipway.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

class CredentialsTest {
    @TempDir
    Path tmp;

    @Test
    void savedCredentialsAreReadableOnlyByTheirOwner() throws Exception {
        Path home = tmp.resolve("new-home");
        new Credentials("http://127.0.0.1:5050", "secret").save(home);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("credentials.json"))))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home))).isEqualTo("rwx------");
    }

    @Test
    void theFileHoldsApiUrlAndTokenInSnakeCase() throws Exception {
        new Credentials("http://127.0.0.1:5050", "secret").save(tmp);
        assertThat(Files.readString(tmp.resolve("credentials.json")))
                .contains("\"api_url\" : \"http://127.0.0.1:5050\"", "\"token\" : \"secret\"");
    }

    @Test
    void whatIsSavedReadsBack() {
        new Credentials("http://127.0.0.1:5050", "first").save(tmp);
        new Credentials("https://paas.example", "second").save(tmp);
        assertThat(Credentials.read(tmp)).contains(new Credentials("https://paas.example", "second"));
        try (var files = Files.list(tmp)) {
            assertThat(files).as("no temp files left behind").containsExactly(tmp.resolve("credentials.json"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void deletingRemovesTheFileAndSaysWhetherThereWasOne() {
        new Credentials("http://127.0.0.1:5050", "secret").save(tmp);
        assertThat(Credentials.delete(tmp)).isTrue();
        assertThat(Credentials.read(tmp)).isEmpty();
        assertThat(Credentials.delete(tmp)).isFalse();
    }
}
