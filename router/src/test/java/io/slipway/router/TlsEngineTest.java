package io.slipway.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

/**
 * Which TLS engine the HTTPS listener gets (SLIPWAY_ROUTER_TLS_ENGINE): BoringSSL by default where
 * its native library loads (this test's machines are Linux x86-64, where it must), else the JDK's.
 * HttpsTest and HttpsJsseTest check that each serves the same outcomes.
 */
class TlsEngineTest {
    private static final SniKeyManager KEYS = new SniKeyManager(new Certificates((Certificates.Served) null));

    @Test
    void byDefaultBoringSslDoesTheHandshakesWhereItLoads() {
        assertThat(OpenSslContext.unavailableBecause()).isNull();
        SSLContext context = TlsListener.context(KEYS, TlsSettings.fromEnv(Map.of(), TlsSettingsTest.HOME).engine());
        assertThat(context.getProvider()).isSameAs(OpenSslContext.PROVIDER);
        assertThat(context.createSSLEngine().getClass().getName()).startsWith("io.netty.handler.ssl.");
        assertThat(OpenSslContext.version()).startsWith("BoringSSL");
    }

    @Test
    void jdkKeepsTheJdksEngine() {
        TlsSettings tls = TlsSettings.fromEnv(Map.of("SLIPWAY_ROUTER_TLS_ENGINE", "jdk"), TlsSettingsTest.HOME);
        assertThat(TlsListener.context(KEYS, tls.engine()).getProvider().getName()).isEqualTo("SunJSSE");
    }

    @Test
    void anUnknownEngineSaysWhatItTakes() {
        assertThatThrownBy(() -> TlsSettings.fromEnv(Map.of("SLIPWAY_ROUTER_TLS_ENGINE", "gnutls"), TlsSettingsTest.HOME))
                .hasMessageContaining("SLIPWAY_ROUTER_TLS_ENGINE must be auto, openssl or jdk, got 'gnutls'");
    }
}
