package io.slipway.router;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Picks the certificate for each TLS handshake by the host name the client asked for (SNI), from
 * {@link Certificates} as they are at that moment. The JDK asks once per key type it could use;
 * a certificate whose key is of another type is not offered for it.
 */
final class SniKeyManager extends X509ExtendedKeyManager {
    private final Certificates certificates;

    SniKeyManager(Certificates certificates) {
        this.certificates = certificates;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        Certificates.Served s = certificates.forHost(requestedHost(engine.getHandshakeSession()));
        return s.key().getAlgorithm().equals(keyType) ? s.alias() : null;
    }

    static String requestedHost(SSLSession session) {
        if (session instanceof ExtendedSSLSession extended) {
            List<SNIServerName> names = extended.getRequestedServerNames();
            for (SNIServerName n : names) {
                if (n instanceof SNIHostName host) {
                    return host.getAsciiName().toLowerCase(Locale.ROOT);
                }
            }
        }
        return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        Certificates.Served s = certificates.byAlias(alias);
        return s == null ? null : s.chain();
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        Certificates.Served s = certificates.byAlias(alias);
        return s == null ? null : s.key();
    }

    // ---- the router is only ever a TLS server on SSLEngines ------------------------------------------

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }
}
