package io.slipway.router;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The platform's key that seals the apps' private keys in the database, {@code $SLIPWAY_HOME/cert-key}
 * (mode 0600, 64 hex digits, AES-256-GCM; a sealed key is a 12-byte nonce then the ciphertext and
 * tag). A copy of the controller's {@code certs.CertKey}, as {@link LogKey} is of its log key: the
 * router does not depend on the controller, and whichever starts first creates the file.
 */
final class CertKey {
    static final String FILE = "cert-key";
    private static final int NONCE_BYTES = 12;

    private final SecretKeySpec key;

    private CertKey(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
    }

    static CertKey readOrCreate(Path file) {
        try {
            if (!Files.exists(file)) {
                create(file);
            }
            String hex = Files.readString(file, StandardCharsets.US_ASCII).strip();
            if (!hex.matches("[0-9a-f]{64}")) {
                throw new IllegalStateException(file + " is not a Slipway certificate key (64 hex digits). It seals the apps' "
                        + "private keys: restore it from a backup, or delete it and add the certificates again");
            }
            return new CertKey(HexFormat.of().parseHex(hex));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the certificate key " + file + ": " + e.getMessage(), e);
        }
    }

    /** Written aside and linked into place, so a reader never sees half a key and two creators agree on one. */
    private static void create(Path file) throws IOException {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Files.createDirectories(file.getParent());
        Path tmp = Files.createTempFile(file.getParent(), ".cert-key-", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(tmp, HexFormat.of().formatHex(key) + "\n", StandardCharsets.US_ASCII);
            Files.createLink(file, tmp);
        } catch (FileAlreadyExistsException other) {
            // the controller made it first: use that one
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    byte[] open(byte[] sealed) throws GeneralSecurityException {
        if (sealed.length <= NONCE_BYTES) {
            throw new GeneralSecurityException("sealed key too short");
        }
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, sealed, 0, NONCE_BYTES));
        return c.doFinal(Arrays.copyOfRange(sealed, NONCE_BYTES, sealed.length));
    }

    @Override
    public String toString() {
        return "CertKey[****]";
    }
}
