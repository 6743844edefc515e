package io.slipway.controller.certs;

import java.security.GeneralSecurityException;

/**
 * The platform's cert-key sealing, for secrets of other features than uploaded certificates (the
 * ACME account key): the same AES-GCM, so one key file guards every private key at rest.
 */
public final class SealedBytes {
    private final CertKey key;

    public SealedBytes(CertKey key) {
        this.key = key;
    }

    public byte[] seal(byte[] plain) {
        return key.seal(plain);
    }

    /** Throws when {@code sealed} was sealed with another cert-key or was altered. */
    public byte[] open(byte[] sealed) throws GeneralSecurityException {
        return key.open(sealed);
    }
}
