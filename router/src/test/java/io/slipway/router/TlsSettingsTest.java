package io.slipway.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SLIPWAY_ROUTER_TLS_PORT, SLIPWAY_TLS_CERT and SLIPWAY_TLS_KEY as an operator sets them. */
class TlsSettingsTest {
    static final Path HOME = Path.of("/srv/slipway");

    @Test
    void httpsIsOnPort8443UnlessSaidOtherwise() {
        TlsSettings tls = TlsSettings.fromEnv(Map.of(), HOME);
        assertThat(tls.port()).isEqualTo(8443);
        assertThat(tls.certFile()).isNull();
        assertThat(tls.certKeyFile()).isEqualTo(HOME.resolve("cert-key"));
    }

    @Test
    void offTurnsHttpsOff() {
        assertThat(TlsSettings.fromEnv(Map.of("SLIPWAY_ROUTER_TLS_PORT", "off"), HOME)).isNull();
    }

    @Test
    void aPortThatIsNoNumberSaysWhatItTakes() {
        assertThatThrownBy(() -> TlsSettings.fromEnv(Map.of("SLIPWAY_ROUTER_TLS_PORT", "https"), HOME))
                .hasMessageContaining("SLIPWAY_ROUTER_TLS_PORT must be a port number or 'off', got 'https'");
        assertThatThrownBy(() -> TlsSettings.fromEnv(Map.of("SLIPWAY_ROUTER_TLS_PORT", "70000"), HOME))
                .hasMessageContaining("1-65535");
    }

    @Test
    void aCertificateWithoutItsKeyIsRefusedAtStart() {
        assertThatThrownBy(() -> TlsSettings.fromEnv(Map.of("SLIPWAY_TLS_CERT", "/etc/ssl/shop.pem"), HOME))
                .hasMessageContaining("SLIPWAY_TLS_CERT and SLIPWAY_TLS_KEY go together");
    }
}
