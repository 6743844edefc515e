package io.slipway.router;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import java.security.GeneralSecurityException;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import org.xnio.Options;
import org.xnio.Sequence;
import org.xnio.XnioWorker;

/**
 * The router's HTTPS listener: a second Undertow server on the same IO threads and handler chain
 * as the plain one, so that HTTP/2 (offered by ALPN, next to HTTP/1.1) is switched on here only and
 * the plain listener keeps its path without an h2c upgrade check. The JDK's TLS engine does the
 * handshakes with {@link SniKeyManager} picking the certificate.
 */
final class TlsListener {
    static final Sequence<String> PROTOCOLS = Sequence.of("TLSv1.3", "TLSv1.2");

    private TlsListener() {}

    static Undertow build(XnioWorker worker, String bind, int port, Certificates certificates, HttpHandler chain) {
        SSLContext context;
        try {
            context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {new SniKeyManager(certificates)}, null, null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK's TLS is missing: " + e.getMessage(), e);
        }
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
                .setHandler(chain)
                .build();
    }
}
