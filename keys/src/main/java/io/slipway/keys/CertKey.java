package io.slipway.keys;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The platform's key that seals the apps' private keys at rest, {@code $SLIPWAY_HOME/cert-key}:
 * AES-256-GCM, a sealed key being a fresh 12-byte nonce then the ciphertext and tag. The controller
 * seals what it stores; routers open what they serve.
 */
public final class CertKey {
    public static final String FILE = "cert-key";
    private static final int NONCE_BYTES = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    private CertKey(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
    }

    /** The key of the platform whose state is under {@code home}, made (0600) when there is none yet. */
    public static CertKey underHome(Path home) {
        return readOrCreate(home.resolve(FILE));
    }

    public static CertKey readOrCreate(Path file) {
        return new CertKey(PlatformSecret.readOrCreate(file, "certificate key",
                "it seals the apps' private keys: restore it from a backup, or delete it and add the certificates again"));
    }

    public byte[] seal(byte[] plain) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            byte[] sealed = c.doFinal(plain);
            byte[] out = Arrays.copyOf(nonce, NONCE_BYTES + sealed.length);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
    }

    /** The plain bytes; throws when {@code sealed} was not sealed with this key or was altered. */
    public byte[] open(byte[] sealed) throws GeneralSecurityException {
        if (sealed.length <= NONCE_BYTES) {
            throw new GeneralSecurityException("sealed key too short");
        }
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, sealed, 0, NONCE_BYTES));
        return c.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
    }

    @Override
    public String toString() {
        return "CertKey[****]"; // never the key itself
    }
}
