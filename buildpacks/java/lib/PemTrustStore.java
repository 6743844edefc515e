import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a PEM CA bundle (the host's, mounted into the build) into a PKCS12 truststore, since
 * Java cannot read a PEM bundle. One JVM for the whole bundle, where keytool would need one per
 * certificate. Run with the source launcher: java PemTrustStore.java BUNDLE.pem OUT.p12 PASSWORD
 */
public class PemTrustStore {
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN CERTIFICATE-----(.+?)-----END CERTIFICATE-----", Pattern.DOTALL);

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: java PemTrustStore.java BUNDLE.pem OUT.p12 PASSWORD");
            System.exit(2);
        }
        Path bundle = Path.of(args[0]);
        Path out = Path.of(args[1]);
        char[] password = args[2].toCharArray();

        CertificateFactory x509 = CertificateFactory.getInstance("X.509");
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, password);
        int added = 0;
        int skipped = 0;
        Matcher m = PEM.matcher(Files.readString(bundle));
        while (m.find()) {
            try {
                byte[] der = Base64.getMimeDecoder().decode(m.group(1));
                X509Certificate cert = (X509Certificate) x509.generateCertificate(new ByteArrayInputStream(der));
                store.setCertificateEntry("ca-" + added, cert);
                added++;
            } catch (Exception e) {
                // A bundle may hold a block Java cannot parse; the rest still counts.
                skipped++;
            }
        }
        if (added == 0) {
            System.err.println("no certificate could be read from " + bundle);
            System.exit(1);
        }
        // Written beside the target and moved into place, so a concurrent build never reads half a file.
        Path tmp = Files.createTempFile(out.toAbsolutePath().getParent(), "truststore", ".tmp");
        try (OutputStream os = Files.newOutputStream(tmp)) {
            store.store(os, password);
        }
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        System.out.println(added + " certificates from " + bundle + (skipped > 0 ? " (" + skipped + " unreadable, skipped)" : ""));
    }
}
