package io.slipway.controller.certs;

import io.slipway.keys.HostNames;
import io.slipway.keys.Pem;
import io.slipway.controller.http.ApiException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import javax.security.auth.x500.X500Principal;

/**
 * A certificate and key as {@code certs:add} receives them, checked before anything is stored:
 * PEM that parses, a key that is not encrypted and belongs to the certificate, dates that hold
 * now, a chain that reaches a certificate the file or the JDK's roots hold, and at least one name
 * of the app covered. Each failure is a 422 saying what was wrong and what to do.
 */
record UploadedCertificate(List<X509Certificate> chain, PrivateKey key, List<String> names) {

    X509Certificate leaf() {
        return chain.getFirst();
    }

    static UploadedCertificate check(String certPem, String keyPem, Set<String> appHosts, Instant now) {
        List<X509Certificate> chain = certificates(certPem);
        PrivateKey key = privateKey(keyPem);
        X509Certificate leaf = chain.getFirst();
        if (!belongsTo(key, leaf)) {
            throw ApiException.invalid("the private key does not match the certificate (" + leaf.getSubjectX500Principal().getName()
                    + "): pass the key the certificate was issued for");
        }
        if (now.isBefore(leaf.getNotBefore().toInstant())) {
            throw ApiException.invalid("the certificate is not valid yet: it starts on " + leaf.getNotBefore().toInstant());
        }
        if (!now.isBefore(leaf.getNotAfter().toInstant())) {
            throw ApiException.invalid("the certificate expired on " + leaf.getNotAfter().toInstant() + "; renew it with its issuer");
        }
        checkChain(chain);
        List<String> names = HostNames.of(leaf);
        if (appHosts.stream().noneMatch(h -> HostNames.covers(names, h))) {
            throw ApiException.invalid("the certificate covers " + (names.isEmpty() ? "no DNS names" : String.join(", ", names))
                    + ", none of the app's names (" + appHosts.stream().sorted().collect(Collectors.joining(", "))
                    + "); add the domain first with 'slipway domains:add', or use a certificate for it");
        }
        return new UploadedCertificate(chain, key, names);
    }

    private static List<X509Certificate> certificates(String pem) {
        if (pem == null || pem.isBlank()) {
            throw ApiException.invalid("no certificate given: pass the PEM certificate file (-----BEGIN CERTIFICATE-----) first, then its key");
        }
        if (!pem.contains("-----BEGIN CERTIFICATE-----")) {
            throw ApiException.invalid(pem.contains("PRIVATE KEY-----")
                    ? "a private key was given where the certificate goes: the order is 'certs:add CERTIFICATE KEY'"
                    : "the certificate is not PEM: expected a file with -----BEGIN CERTIFICATE-----");
        }
        try {
            List<X509Certificate> chain = Pem.certificates(pem);
            if (chain.isEmpty()) {
                throw ApiException.invalid("the certificate is not PEM: expected a file with -----BEGIN CERTIFICATE-----");
            }
            return chain;
        } catch (GeneralSecurityException | RuntimeException e) {
            if (e instanceof ApiException api) {
                throw api;
            }
            throw ApiException.invalid("the certificate does not parse as PEM X.509: " + e.getMessage());
        }
    }

    private static PrivateKey privateKey(String pem) {
        if (pem == null || pem.isBlank()) {
            throw ApiException.invalid("no private key given: pass the PEM key file after the certificate");
        }
        try {
            return Pem.privateKey(pem);
        } catch (Pem.KeyException e) {
            throw ApiException.invalid(e.getMessage());
        }
    }

    /** Whether the certificate's public key verifies what the private key signs (any key type, no arithmetic of our own). */
    private static boolean belongsTo(PrivateKey key, X509Certificate cert) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm(); // Ed25519, Ed448
        };
        try {
            byte[] probe = new byte[32];
            new SecureRandom().nextBytes(probe);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(cert.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false; // e.g. an EC key against an RSA certificate
        }
    }

    /** Each certificate signed by the next; the last one a root itself or issued by a root the JDK trusts. */
    private static void checkChain(List<X509Certificate> chain) {
        for (int i = 0; i + 1 < chain.size(); i++) {
            X509Certificate c = chain.get(i);
            X509Certificate issuer = chain.get(i + 1);
            try {
                c.verify(issuer.getPublicKey());
            } catch (GeneralSecurityException e) {
                throw ApiException.invalid("the chain is out of order or broken: certificate " + (i + 1) + " ("
                        + c.getSubjectX500Principal().getName() + ") is not signed by the next one ("
                        + issuer.getSubjectX500Principal().getName() + "); put the server's certificate first, then each issuer");
            }
        }
        X509Certificate last = chain.getLast();
        X500Principal issuer = last.getIssuerX500Principal();
        if (!issuer.equals(last.getSubjectX500Principal()) && !Roots.SUBJECTS.contains(issuer)) {
            throw ApiException.invalid("the chain is incomplete: " + last.getSubjectX500Principal().getName() + " is issued by "
                    + issuer.getName() + ", which is neither in the file nor a known root; append the intermediate certificate(s) "
                    + "after the server's certificate");
        }
    }

    /** The JDK's trusted roots, by subject: a chain may end just below one of them. */
    private static final class Roots {
        static final Set<X500Principal> SUBJECTS = load();

        private static Set<X500Principal> load() {
            try {
                TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                f.init((KeyStore) null);
                for (var tm : f.getTrustManagers()) {
                    if (tm instanceof X509TrustManager x) {
                        return java.util.Arrays.stream(x.getAcceptedIssuers()).map(X509Certificate::getSubjectX500Principal)
                                .collect(Collectors.toUnmodifiableSet());
                    }
                }
            } catch (GeneralSecurityException e) {
                // no roots: every chain must end in a self-signed certificate
            }
            return Set.of();
        }
    }
}
