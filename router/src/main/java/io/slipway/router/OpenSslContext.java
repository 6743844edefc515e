package io.slipway.router;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.security.Provider;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * An {@link SSLContext} whose engines are BoringSSL's (Netty's tcnative, statically linked), for the
 * HTTPS listener: Undertow only asks an SSLContext for server engines, and these do the handshake
 * and the records in native code, several times faster than the JDK's pure-Java elliptic curves on
 * CPUs without AVX-512. The certificate is still chosen per handshake by {@link SniKeyManager}
 * (BoringSSL's certificate callback asks it, with the engine's SNI name), so certificates added,
 * renewed or removed are served from the next handshake on, and open connections keep theirs.
 */
final class OpenSslContext {
    static final Provider PROVIDER = new Provider("slipway-boringssl", "1", "BoringSSL engines for the router's HTTPS listener") {};

    private OpenSslContext() {}

    /** Why the native library cannot be used here, or null when it can. */
    static String unavailableBecause() {
        if (OpenSsl.isAvailable()) {
            return null;
        }
        Throwable cause = OpenSsl.unavailabilityCause();
        return cause == null ? "netty-tcnative did not load" : cause.toString();
    }

    /** "BoringSSL ..." as the library says it. */
    static String version() {
        return OpenSsl.versionString();
    }

    static SSLContext create(SniKeyManager keys) throws SSLException {
        SslContext netty = SslContextBuilder.forServer(keys)
                .sslProvider(SslProvider.OPENSSL)
                .protocols(TlsListener.PROTOCOLS.toArray(new String[0]))
                // ALPN is answered by BoringSSL itself (h2 first, as the JDK path prefers it); Undertow
                // then reads the outcome with SSLEngine.getApplicationProtocol().
                .applicationProtocolConfig(new ApplicationProtocolConfig(
                        ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                        ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1))
                .build();
        return new SSLContext(new Spi(netty), PROVIDER, "TLS") {};
    }

    /** Only server engines are ever asked for; the rest of an SSLContext has no use here. */
    private static final class Spi extends SSLContextSpi {
        private final SslContext netty;

        Spi(SslContext netty) {
            this.netty = netty;
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return netty.newEngine(ByteBufAllocator.DEFAULT);
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return netty.newEngine(ByteBufAllocator.DEFAULT, host, port);
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return netty.sessionContext();
        }

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) {
            throw new UnsupportedOperationException("built by OpenSslContext.create");
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            throw new UnsupportedOperationException("the router's TLS is engine-only");
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            throw new UnsupportedOperationException("the router's TLS is engine-only");
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return null;
        }
    }
}
