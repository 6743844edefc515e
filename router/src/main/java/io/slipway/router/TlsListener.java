package io.slipway.router;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import java.security.GeneralSecurityException;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.Options;
import org.xnio.Sequence;
import org.xnio.XnioWorker;

/**
 * The router's HTTPS listener: a second Undertow server on the same IO threads and handler chain
 * as the plain one, so that HTTP/2 (offered by ALPN, next to HTTP/1.1) is switched on here only and
 * the plain listener keeps its path without an h2c upgrade check. BoringSSL ({@link OpenSslContext})
 * or the JDK's TLS engine does the handshakes, with {@link SniKeyManager} picking the certificate.
 */
final class TlsListener {
    static final Sequence<String> PROTOCOLS = Sequence.of("TLSv1.3", "TLSv1.2");
    private static final Logger log = LoggerFactory.getLogger(TlsListener.class);

    private TlsListener() {}

    static Undertow build(XnioWorker worker, String bind, int port, Certificates certificates, TlsSettings.Engine engine,
            HttpHandler chain) {
        SSLContext context = context(new SniKeyManager(certificates), engine);
        // Undertow sets this on every engine it accepts; Netty's BoringSSL engine refuses true (it always
        // makes sessions) and takes false as a no-op, so false is what keeps its sessions here.
        boolean sessionCreation = context.getProvider() != OpenSslContext.PROVIDER;
        return Undertow.builder()
                .setWorker(worker)
                .addHttpsListener(port, bind, context)
                .setServerOption(UndertowOptions.MAX_HEADER_SIZE, Router.PARSER_LIMIT_BYTES)
                .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, Router.IDLE_CLIENT_MILLIS)
                .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, Router.PARSE_TIMEOUT_MILLIS)
                .setServerOption(UndertowOptions.ENABLE_HTTP2, true)
                .setServerOption(UndertowOptions.ALWAYS_SET_KEEP_ALIVE, false)
                .setSocketOption(Options.BACKLOG, 1024)
                .setSocketOption(Options.SSL_ENABLED_PROTOCOLS, PROTOCOLS)
                .setSocketOption(Options.SSL_ENABLE_SESSION_CREATION, sessionCreation)
                .setHandler(chain)
                .build();
    }

    /** The engine the setting asks for, falling back from BoringSSL to the JDK's only under {@code auto}, and saying which. */
    static SSLContext context(SniKeyManager keys, TlsSettings.Engine engine) {
        String why = engine == TlsSettings.Engine.JDK ? "SLIPWAY_ROUTER_TLS_ENGINE=jdk" : OpenSslContext.unavailableBecause();
        if (why == null) {
            try {
                SSLContext context = OpenSslContext.create(keys);
                log.info("tls: {} via netty-tcnative", OpenSslContext.version());
                return context;
            } catch (SSLException | RuntimeException e) {
                why = "BoringSSL would not start: " + e;
            }
        }
        if (engine == TlsSettings.Engine.OPENSSL) {
            throw new IllegalStateException("SLIPWAY_ROUTER_TLS_ENGINE=openssl, but " + why
                    + "; set SLIPWAY_ROUTER_TLS_ENGINE=auto (or jdk) to serve HTTPS with the JDK's TLS instead");
        }
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {keys}, null, null);
            log.info("tls: JSSE ({}; OpenSSL is not used)", why);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK's TLS is missing: " + e.getMessage(), e);
        }
    }
}
