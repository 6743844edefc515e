package io.slipway.controller.heroku;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The Heroku-facing ports and certificate: next to the API port by default, off, or refused with what to do. */
class HerokuSettingsTest {
    private static final Path HOME = Path.of("/srv/slipway");

    @Test
    void portsSitNextToTheApiPortAndTheCertificateIsTheRoutersByDefault() {
        var s = HerokuSettings.fromEnv(Map.of(), HOME, 5050, "localhost");
        assertThat(s.apiTlsPort()).isEqualTo(OptionalInt.of(5052));
        assertThat(s.rendezvousPort()).isEqualTo(OptionalInt.of(5053));
        assertThat(s.certFile()).isEqualTo(HOME.resolve("tls/platform.crt"));
        assertThat(s.keyFile()).isEqualTo(HOME.resolve("tls/platform.key"));
    }

    @Test
    void offTurnsAListenerOffAndAGivenCertificateIsUsed() {
        var s = HerokuSettings.fromEnv(Map.of("SLIPWAY_API_TLS_PORT", "off", "SLIPWAY_RENDEZVOUS_PORT", "OFF",
                "SLIPWAY_TLS_CERT", "/etc/c.pem", "SLIPWAY_TLS_KEY", "/etc/k.pem"), HOME, 5050, "localhost");
        assertThat(s.apiTlsPort()).isEmpty();
        assertThat(s.rendezvousPort()).isEmpty();
        assertThat(s.https()).isNull();
        assertThat(s.certFile()).isEqualTo(Path.of("/etc/c.pem"));
    }

    @Test
    void badSettingsAreRefusedSayingWhatIsExpected() {
        assertThatThrownBy(() -> HerokuSettings.fromEnv(Map.of("SLIPWAY_RENDEZVOUS_PORT", "70000"), HOME, 5050, "localhost"))
                .hasMessage("SLIPWAY_RENDEZVOUS_PORT must be a port number (1-65535) or off, got '70000'");
        assertThatThrownBy(() -> HerokuSettings.fromEnv(Map.of("SLIPWAY_API_TLS_PORT", "6000",
                "SLIPWAY_RENDEZVOUS_PORT", "6000"), HOME, 5050, "localhost"))
                .hasMessageContaining("are both 6000; they need two ports");
        assertThatThrownBy(() -> HerokuSettings.fromEnv(Map.of("SLIPWAY_TLS_CERT", "/etc/c.pem"), HOME, 5050, "localhost"))
                .hasMessage("SLIPWAY_TLS_CERT and SLIPWAY_TLS_KEY go together: set both or neither");
    }
}
