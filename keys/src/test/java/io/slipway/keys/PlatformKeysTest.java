package io.slipway.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlatformKeysTest {
    @TempDir
    Path home;

    @Test
    void controllerAndRouterStartingTogetherAgreeOnOneLogKeyReadableByNoOneElse() throws Exception {
        List<LogKey> keys = new ArrayList<>();
        try (ExecutorService both = Executors.newFixedThreadPool(8)) {
            List<Future<LogKey>> makers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                makers.add(both.submit((Callable<LogKey>) () -> LogKey.underHome(home)));
            }
            for (Future<LogKey> f : makers) {
                keys.add(f.get());
            }
        }
        byte[] line = "shop router at=info method=GET".getBytes(StandardCharsets.US_ASCII);
        String tag = keys.getFirst().tag(line, 0, line.length);
        for (LogKey k : keys) {
            assertThat(k.tag(line, 0, line.length)).isEqualTo(tag);
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve(LogKey.FILE)))).isEqualTo("rw-------");
        try (var files = Files.list(home)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly(LogKey.FILE); // no temp file left
        }
    }

    @Test
    void aDatagramSignedInPlaceByTheRouterVerifiesAtTheControllerAndAnAlteredOneDoesNot() {
        LogKey router = LogKey.underHome(home);
        LogKey controller = LogKey.underHome(home).copy();
        byte[] body = "shop router at=info path=/".getBytes(StandardCharsets.US_ASCII);
        byte[] datagram = new byte[LogKey.TAG_CHARS + 1 + body.length];
        datagram[LogKey.TAG_CHARS] = ' ';
        System.arraycopy(body, 0, datagram, LogKey.TAG_CHARS + 1, body.length);
        router.sign(datagram, LogKey.TAG_CHARS + 1, datagram.length, 0);

        assertThat(controller.verifies(datagram, datagram.length)).isTrue();
        datagram[datagram.length - 1] ^= 1;
        assertThat(controller.verifies(datagram, datagram.length)).isFalse();
        assertThat(controller.verifies(datagram, LogKey.TAG_CHARS)).as("a datagram with no body").isFalse();
    }

    @Test
    void aDamagedKeyFileIsRefusedSayingWhichFileAndWhatToDo() throws Exception {
        Files.writeString(home.resolve(CertKey.FILE), "not hex\n");
        assertThatThrownBy(() -> CertKey.underHome(home))
                .hasMessageContaining(home.resolve(CertKey.FILE).toString())
                .hasMessageContaining("restore it from a backup");
    }

    @Test
    void aSealedPrivateKeyOpensOnlyWithTheSameKeyAndUnaltered() throws Exception {
        CertKey key = CertKey.underHome(home);
        byte[] secret = "-----BEGIN PRIVATE KEY-----".getBytes(StandardCharsets.US_ASCII);
        byte[] sealed = key.seal(secret);

        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("PRIVATE KEY");
        assertThat(key.open(sealed)).isEqualTo(secret);
        assertThat(CertKey.readOrCreate(home.resolve(CertKey.FILE)).open(sealed)).as("the router's copy").isEqualTo(secret);
        assertThatThrownBy(() -> CertKey.underHome(home.resolve("other")).open(sealed)).isInstanceOf(GeneralSecurityException.class);
        sealed[sealed.length - 1] ^= 1;
        assertThatThrownBy(() -> key.open(sealed)).isInstanceOf(GeneralSecurityException.class);
    }
}
