package io.slipway.keys;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Certificates and private keys out of PEM text. The JDK reads X.509 certificates and PKCS#8 DER
 * keys; BouncyCastle reads the PEM key formats people actually have (PKCS#1 {@code RSA PRIVATE KEY},
 * SEC1 {@code EC PRIVATE KEY}, PKCS#8 {@code PRIVATE KEY}).
 */
public final class Pem {
    private Pem() {}

    /** Why a PEM text gives no usable private key; the message says what was given instead. */
    public static final class KeyException extends IOException {
        KeyException(String message) {
            super(message);
        }
    }

    public static List<X509Certificate> certificates(String pem) throws GeneralSecurityException {
        return CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))).stream()
                .map(c -> (X509Certificate) c).toList();
    }

    /** The first private key in {@code pem}, unencrypted, of any of the three formats. */
    public static PrivateKey privateKey(String pem) throws KeyException {
        Object o;
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            o = parser.readObject();
        } catch (IOException | RuntimeException e) {
            throw new KeyException("the private key does not parse as PEM: " + e.getMessage());
        }
        if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
            throw new KeyException("the private key is encrypted with a passphrase; decrypt it first "
                    + "('openssl pkey -in key.pem -out key.plain.pem') and pass that");
        }
        try {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (o instanceof PEMKeyPair pair) { // PKCS#1 or SEC1
                return converter.getPrivateKey(withCurve(pair.getPrivateKeyInfo()));
            }
            if (o instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
        } catch (IOException e) {
            throw new KeyException("the private key cannot be read: " + e.getMessage());
        }
        throw new KeyException(o == null ? "the private key is not PEM: expected -----BEGIN PRIVATE KEY----- (or RSA/EC PRIVATE KEY)"
                : "a " + o.getClass().getSimpleName().replace("X509CertificateHolder", "certificate") + " was given where the private key goes");
    }

    /** A PKCS#8 DER key, as the controller seals it: RSA, EC or Ed25519. */
    public static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
        String algorithm = PrivateKeyInfo.getInstance(der).getPrivateKeyAlgorithm().getAlgorithm().getId();
        return KeyFactory.getInstance(switch (algorithm) {
            case "1.2.840.113549.1.1.1" -> "RSA";
            case "1.2.840.10045.2.1" -> "EC";
            case "1.3.101.112" -> "Ed25519";
            default -> throw new GeneralSecurityException("unsupported key algorithm " + algorithm);
        }).generatePrivate(new PKCS8EncodedKeySpec(der));
    }

    /**
     * An {@code EC PRIVATE KEY} carries its curve inside the key, and BouncyCastle leaves it out of
     * the algorithm identifier, where the JDK wants it: that form is rewritten. (Only the private
     * half is needed: the public one is in the certificate.)
     */
    private static PrivateKeyInfo withCurve(PrivateKeyInfo info) throws IOException {
        AlgorithmIdentifier algorithm = info.getPrivateKeyAlgorithm();
        if (X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm.getAlgorithm()) && algorithm.getParameters() == null) {
            ECPrivateKey ec = ECPrivateKey.getInstance(info.parsePrivateKey());
            return new PrivateKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, ec.getParametersObject()), ec);
        }
        return info;
    }
}
