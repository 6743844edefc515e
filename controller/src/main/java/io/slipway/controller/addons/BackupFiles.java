package io.slipway.controller.addons;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The platform's backup store: {@code SLIPWAY_BACKUP_DIR} (default {@code $SLIPWAY_HOME/backups}),
 * one directory per app id, a file per backup named by its id. A backup is written under a
 * temporary name and renamed once whole, so a file with a backup's name is never half written.
 */
final class BackupFiles {
    static final String SETTING = "SLIPWAY_BACKUP_DIR";

    private final Path dir;

    private BackupFiles(Path dir) {
        this.dir = dir;
    }

    /** The store the environment names, created if missing and checked writable now: a clear error at start, not at 2 a.m. */
    static BackupFiles open(Map<String, String> env, Path home) {
        String given = env.get(SETTING);
        Path dir = (given == null || given.isBlank() ? home.resolve("backups") : Path.of(given.strip())).toAbsolutePath();
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            Path probe = Files.createTempFile(dir, ".probe-", ".tmp");
            Files.delete(probe);
        } catch (IOException | UnsupportedOperationException e) {
            String why = e instanceof AccessDeniedException ? "permission denied" : e.getMessage();
            throw new IllegalStateException("the backup directory " + dir + " is not writable (" + why + "); set "
                    + SETTING + " to a directory the controller can write, or fix its permissions", e);
        }
        return new BackupFiles(dir);
    }

    Path dir() {
        return dir;
    }

    Path file(Backup b) {
        return dir.resolve(b.appId().toString()).resolve(b.id() + ".dump");
    }

    /** Where a backup is written until it is whole. */
    Path partial(Backup b) throws IOException {
        Path appDir = Files.createDirectories(dir.resolve(b.appId().toString()));
        return appDir.resolve("." + b.id() + ".dump.partial");
    }

    /** The whole file takes its backup's name, atomically. */
    Path complete(Backup b, Path partial) throws IOException {
        return Files.move(partial, file(b), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    void delete(Backup b) {
        try {
            Files.deleteIfExists(file(b));
            Files.deleteIfExists(dir.resolve(b.appId().toString()).resolve("." + b.id() + ".dump.partial"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + file(b) + ": " + e.getMessage(), e);
        }
    }

    /** An app is destroyed: its backups go with it. */
    void deleteApp(UUID appId) {
        Path appDir = dir.resolve(appId.toString());
        if (!Files.isDirectory(appDir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(appDir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the backups in " + appDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * The file's SHA-256 (hex), read whole: by coreutils' {@code sha256sum} where the host has it,
     * at native speed, else by the JDK. The controller runs on C1 alone, where the JDK's SHA-256 has
     * no intrinsic and makes about 120 MB/s: some 8 s of checking before a 1 GB restore.
     */
    static String sha256(Path file) throws IOException {
        String fast = sha256sum(file);
        return fast != null ? fast : javaSha256(file);
    }

    /** {@code sha256sum}'s answer; null when there is no such program or it says nothing usable. */
    private static String sha256sum(Path file) {
        Process p;
        try {
            p = new ProcessBuilder("sha256sum", "--", file.toString()).redirectErrorStream(true).start();
        } catch (IOException noSuchProgram) {
            return null;
        }
        try (InputStream out = p.getInputStream()) {
            String answer = new String(out.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
            if (p.waitFor() == 0 && answer.length() >= 64 && answer.substring(0, 64).matches("[0-9a-f]{64}")) {
                return answer.substring(0, 64);
            }
            return null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            return null;
        }
    }

    private static String javaSha256(Path file) throws IOException {
        MessageDigest digest = newDigest();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                digest.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }
}
