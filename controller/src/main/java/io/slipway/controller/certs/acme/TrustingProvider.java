package io.slipway.controller.certs.acme;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.shredzone.acme4j.connector.NetworkSettings;
import org.shredzone.acme4j.provider.GenericAcmeProvider;

/**
 * acme4j's provider for any RFC 8555 directory, trusting only the CA certificates of
 * {@code SLIPWAY_ACME_CA_BUNDLE} for the directory's HTTPS when that is set (a private CA, or
 * pebble's test CA); the JDK's trust store otherwise.
 */
final class TrustingProvider extends GenericAcmeProvider {
    private final Path caBundle;

    TrustingProvider(Path caBundle) {
        this.caBundle = caBundle;
    }

    @Override
    public HttpClient createHttpClient(NetworkSettings settings) {
        if (caBundle == null) {
            return super.createHttpClient(settings);
        }
        return HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(settings.getTimeout())
                .sslContext(context(caBundle))
                .build();
    }

    static SSLContext context(Path bundle) {
        try (InputStream in = Files.newInputStream(bundle)) {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int n = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("ca-" + n++, c);
            }
            if (n == 0) {
                throw new IllegalArgumentException("SLIPWAY_ACME_CA_BUNDLE " + bundle + " holds no PEM certificate");
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read SLIPWAY_ACME_CA_BUNDLE " + bundle + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("SLIPWAY_ACME_CA_BUNDLE " + bundle + " is not a PEM file of certificates: " + e.getMessage(), e);
        }
    }
}
