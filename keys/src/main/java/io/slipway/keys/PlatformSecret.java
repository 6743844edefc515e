package io.slipway.keys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * A 256-bit secret of the platform in a file under {@code $SLIPWAY_HOME} (mode 0600, 64 hex
 * digits). Controller and router both read it, and whichever starts first makes it: written aside
 * and linked into place, so a reader never sees half a secret and two makers agree on one.
 */
final class PlatformSecret {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();

    private PlatformSecret() {}

    /**
     * The secret in {@code file}, made when there is none yet. {@code what} names it in errors
     * ("log key"); {@code ifDamaged} tells the operator what to do when the file holds something else.
     */
    static byte[] readOrCreate(Path file, String what, String ifDamaged) {
        try {
            if (!Files.exists(file)) {
                create(file);
            }
            String hex = Files.readString(file, StandardCharsets.US_ASCII).strip();
            if (!hex.matches("[0-9a-f]{64}")) {
                throw new IllegalStateException(file + " is not a Slipway " + what + " (64 hex digits); " + ifDamaged);
            }
            return HEX.parseHex(hex);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the " + what + " " + file + ": " + e.getMessage(), e);
        }
    }

    private static void create(Path file) throws IOException {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        Files.createDirectories(file.getParent());
        Path tmp = Files.createTempFile(file.getParent(), "." + file.getFileName() + "-", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(tmp, HEX.formatHex(secret) + "\n", StandardCharsets.US_ASCII);
            Files.createLink(file, tmp);
        } catch (FileAlreadyExistsException other) {
            // the other process made it first: use theirs
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
