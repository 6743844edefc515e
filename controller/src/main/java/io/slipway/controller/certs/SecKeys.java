package io.slipway.controller.certs;

import java.io.IOException;
import java.security.PrivateKey;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * A PKCS#1 or SEC1 PEM key as a JDK key. An {@code EC PRIVATE KEY} carries its curve inside the
 * key, and BouncyCastle leaves it out of the algorithm identifier, where the JDK wants it: that
 * form is rewritten first. (Only the private half is needed: the public one is in the certificate.)
 */
final class SecKeys {
    private SecKeys() {}

    static PrivateKey privateKey(PEMKeyPair pair, JcaPEMKeyConverter converter) throws IOException {
        PrivateKeyInfo info = pair.getPrivateKeyInfo();
        AlgorithmIdentifier algorithm = info.getPrivateKeyAlgorithm();
        if (X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm.getAlgorithm()) && algorithm.getParameters() == null) {
            ECPrivateKey ec = ECPrivateKey.getInstance(info.parsePrivateKey());
            info = new PrivateKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, ec.getParametersObject()), ec);
        }
        return converter.getPrivateKey(info);
    }
}
