package io.slipway.controller.heroku;

import io.slipway.keys.Pem;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform's certificate as the controller's TLS server identity. The router makes it (or the
 * operator gives it) and may renew it, possibly after the controller started, so it is read at each
 * handshake, again only when the files changed. Without it a handshake fails and the log says where
 * the certificate was looked for.
 */
final class PlatformTls extends X509ExtendedKeyManager {
    private static final Logger log = LoggerFactory.getLogger(PlatformTls.class);
    private static final String ALIAS = "platform";

    private record Loaded(FileTime certTime, FileTime keyTime, X509Certificate[] chain, PrivateKey key) {}

    private final Path certFile;
    private final Path keyFile;
    private volatile Loaded loaded;

    private PlatformTls(Path certFile, Path keyFile) {
        this.certFile = certFile;
        this.keyFile = keyFile;
    }

    static SSLContext context(HerokuSettings settings) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(new KeyManager[] {new PlatformTls(settings.certFile(), settings.keyFile())}, null, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK offers no TLS: " + e.getMessage(), e);
        }
    }

    /** Whether the certificate can be served now; the reason why not otherwise. */
    static String problem(HerokuSettings settings) {
        try {
            new PlatformTls(settings.certFile(), settings.keyFile()).current();
            return null;
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
    }

    private Loaded current() {
        try {
            FileTime certTime = Files.getLastModifiedTime(certFile);
            FileTime keyTime = Files.getLastModifiedTime(keyFile);
            Loaded l = loaded;
            if (l != null && l.certTime().equals(certTime) && l.keyTime().equals(keyTime)) {
                return l;
            }
            X509Certificate[] chain = Pem.certificates(Files.readString(certFile, StandardCharsets.US_ASCII))
                    .toArray(X509Certificate[]::new);
            if (chain.length == 0) {
                throw new IllegalStateException(certFile + " holds no PEM certificate");
            }
            l = new Loaded(certTime, keyTime, chain, Pem.privateKey(Files.readString(keyFile, StandardCharsets.US_ASCII)));
            loaded = l;
            log.info("tls: serving the platform certificate {} ({}) on the Heroku-facing listeners", certFile,
                    chain[0].getSubjectX500Principal().getName());
            return l;
        } catch (NoSuchFileException e) {
            throw new IllegalStateException("no platform certificate at " + e.getFile() + ": the router makes it when it "
                    + "starts with TLS on (./slipway up does), or set SLIPWAY_TLS_CERT and SLIPWAY_TLS_KEY");
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            if (e instanceof IllegalStateException ise) {
                throw ise;
            }
            throw new IllegalStateException("cannot read the platform certificate " + certFile + " / key " + keyFile
                    + ": " + e.getMessage(), e);
        }
    }

    private Loaded orLog() {
        try {
            return current();
        } catch (IllegalStateException e) {
            log.warn("tls: handshake refused: {}", e.getMessage());
            return null;
        }
    }

    /** The alias when the key fits the signature kind the handshake asks about (the JDK asks for each it could use). */
    private String aliasFor(String keyType) {
        Loaded l = orLog();
        if (l == null) {
            return null;
        }
        String alg = l.key().getAlgorithm();
        return alg.equalsIgnoreCase(keyType) || (alg.equals("RSA") && keyType.equals("RSASSA-PSS")) ? ALIAS : null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return aliasFor(keyType);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return aliasFor(keyType);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        Loaded l = orLog();
        return l == null ? null : l.chain().clone();
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        Loaded l = orLog();
        return l == null ? null : l.key();
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return new String[] {ALIAS};
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return new String[0];
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }
}
