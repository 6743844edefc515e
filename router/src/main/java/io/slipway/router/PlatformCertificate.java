package io.slipway.router;

import io.slipway.keys.HostNames;
import io.slipway.keys.Pem;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The certificate for {@code *.SLIPWAY_DOMAIN} and the bare domain, served to any name no app
 * certificate covers: the operator's ({@code SLIPWAY_TLS_CERT}/{@code SLIPWAY_TLS_KEY}), or a
 * self-signed one made once and kept in {@code $SLIPWAY_HOME/tls/} (made again when it expires
 * within a month or no longer names the domain), which {@code ./slipway up} points to.
 */
final class PlatformCertificate {
    private static final Logger log = LoggerFactory.getLogger(PlatformCertificate.class);
    static final String CERT = "tls/platform.crt";
    static final String KEY = "tls/platform.key";
    private static final Duration VALID = Duration.ofDays(825);
    private static final Duration RENEW_BEFORE = Duration.ofDays(30);

    private PlatformCertificate() {}

    static Certificates.Served load(TlsSettings tls, String domain) {
        Path certFile = tls.certFile() != null ? tls.certFile() : tls.home().resolve(CERT);
        Path keyFile = tls.keyFile() != null ? tls.keyFile() : tls.home().resolve(KEY);
        try {
            if (tls.certFile() == null && !usable(certFile, domain)) {
                generate(certFile, keyFile, domain);
                log.info("tls: made a self-signed certificate for *.{} in {} (trust it, or set SLIPWAY_TLS_CERT/SLIPWAY_TLS_KEY)", domain, certFile);
            }
            List<X509Certificate> chain = Pem.certificates(Files.readString(certFile));
            if (chain.isEmpty()) {
                throw new IllegalArgumentException(certFile + " holds no PEM certificate (SLIPWAY_TLS_CERT)");
            }
            PrivateKey key = Pem.privateKey(Files.readString(keyFile));
            return new Certificates.Served("platform", key, chain.toArray(X509Certificate[]::new));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read the platform certificate " + certFile + " / key " + keyFile + ": " + e.getMessage(), e);
        }
    }

    private static boolean usable(Path certFile, String domain) throws IOException {
        if (!Files.exists(certFile)) {
            return false;
        }
        try {
            X509Certificate c = Pem.certificates(Files.readString(certFile)).getFirst();
            return c.getNotAfter().toInstant().isAfter(Instant.now().plus(RENEW_BEFORE))
                    && HostNames.covers(HostNames.of(c), "x." + domain) && HostNames.covers(HostNames.of(c), domain);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static void generate(Path certFile, Path keyFile, String domain) throws IOException, GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = g.generateKeyPair();
        Instant now = Instant.now();
        X500Name name = new X500Name("CN=*." + domain + ",O=Slipway self-signed");
        try {
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, new BigInteger(64, new SecureRandom()),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(VALID)), name, pair.getPublic());
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.dNSName, "*." + domain), new GeneralName(GeneralName.dNSName, domain)}));
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
            Files.createDirectories(certFile.getParent());
            writeAtomically(keyFile, pem(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(pair.getPrivate(), null).generate()), true); // PKCS#8: BouncyCastle's SEC1 form of a JDK key leaves out the curve
            writeAtomically(certFile, pem(cert), false);
        } catch (org.bouncycastle.operator.OperatorCreationException | java.security.cert.CertificateException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static String pem(Object o) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(o);
        }
        return out.toString();
    }

    private static void writeAtomically(Path file, String text, boolean secret) throws IOException {
        Path tmp = Files.createTempFile(file.getParent(), ".tls-", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(secret ? "rw-------" : "rw-r--r--")));
        try {
            Files.writeString(tmp, text);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw new UncheckedIOException(e);
        }
    }
}
