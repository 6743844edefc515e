package io.slipway.router;

import org.junit.jupiter.api.BeforeAll;

/**
 * {@link HttpsTest}'s outcomes with the JDK's TLS doing the handshakes: what a router gets where
 * BoringSSL's native library does not load, or with {@code SLIPWAY_ROUTER_TLS_ENGINE=jdk}.
 */
class HttpsJsseTest extends HttpsTest {
    @BeforeAll
    static void start() { // hides HttpsTest.start: one router, on the JDK's engine
        startWith(TlsSettings.Engine.JDK);
    }
}
