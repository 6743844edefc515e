package io.slipway.controller.certs.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ACME settings from the environment: Let's Encrypt and 30 days unless told, one clear line for a bad value. */
class AcmeSettingsTest {
    @Test
    void nothingSetMeansLetsEncryptRenewingThirtyDaysAhead() {
        AcmeSettings s = AcmeSettings.fromEnv(Map.of());
        assertThat(s.directory()).isEqualTo(URI.create("https://acme-v02.api.letsencrypt.org/directory"));
        assertThat(s.caBundle()).isNull();
        assertThat(s.renewBefore()).isEqualTo(Duration.ofDays(30));
        assertThat(s.checkEvery()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void durationsTakeDaysHoursMinutesOrSeconds() {
        AcmeSettings s = AcmeSettings.fromEnv(Map.of("SLIPWAY_ACME_RENEW_BEFORE", "45d", "SLIPWAY_ACME_CHECK_EVERY", "90"));
        assertThat(s.renewBefore()).isEqualTo(Duration.ofDays(45));
        assertThat(s.checkEvery()).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void aBadValueSaysWhichSettingAndWhatItTakes() {
        assertThatThrownBy(() -> AcmeSettings.fromEnv(Map.of("SLIPWAY_ACME_RENEW_BEFORE", "a month")))
                .hasMessage("SLIPWAY_ACME_RENEW_BEFORE must be a duration like 30d, 720h, 15m or 90s, got 'a month'");
        assertThatThrownBy(() -> AcmeSettings.fromEnv(Map.of("SLIPWAY_ACME_CA_BUNDLE", "/nonexistent/ca.pem")))
                .hasMessageContaining("SLIPWAY_ACME_CA_BUNDLE /nonexistent/ca.pem cannot be read");
        assertThatThrownBy(() -> AcmeSettings.fromEnv(Map.of("SLIPWAY_ACME_DIRECTORY", "ftp://acme.example/dir")))
                .hasMessageContaining("SLIPWAY_ACME_DIRECTORY must be an https:// URL");
    }
}
