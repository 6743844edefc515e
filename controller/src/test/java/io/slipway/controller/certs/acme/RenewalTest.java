package io.slipway.controller.certs.acme;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** When a domain's certificate is ordered: the decisions alone, with the clock given. */
class RenewalTest {
    static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");
    final Renewal renewal = Renewal.of(Duration.ofDays(30));

    static DomainState state(DomainState.Status status, int failures, Instant nextTry, Instant expires) {
        return new DomainState(UUID.randomUUID(), UUID.randomUUID(), "shop", "www.shop.test", status, null, failures, nextTry, expires);
    }

    @Test
    void aDomainWithoutCertificateIsDueAtOnce() {
        assertThat(renewal.due(state(DomainState.Status.PENDING, 0, null, null), NOW)).isTrue();
    }

    @Test
    void aCertificateIsRenewedThirtyDaysBeforeItExpiresAndNotBefore() {
        assertThat(renewal.due(state(DomainState.Status.OK, 0, NOW.minusSeconds(60), NOW.plus(Duration.ofDays(31))), NOW)).isFalse();
        assertThat(renewal.due(state(DomainState.Status.OK, 0, NOW.minusSeconds(60), NOW.plus(Duration.ofDays(29))), NOW)).isTrue();
        assertThat(renewal.shownNextTry(state(DomainState.Status.OK, 0, NOW, NOW.plus(Duration.ofDays(90)))))
                .isEqualTo(NOW.plus(Duration.ofDays(60)));
    }

    @Test
    void aFailingDomainWaitsForItsBackoffAndAnOrderUnderWayIsLeftAlone() {
        assertThat(renewal.due(state(DomainState.Status.FAILING, 1, NOW.plusSeconds(10), NOW.plus(Duration.ofDays(5))), NOW)).isFalse();
        assertThat(renewal.due(state(DomainState.Status.FAILING, 1, NOW.minusSeconds(1), NOW.plus(Duration.ofDays(5))), NOW)).isTrue();
        assertThat(renewal.due(state(DomainState.Status.PENDING, 0, NOW.plus(Renewal.LEASE), null), NOW)).isFalse();
    }

    @Test
    void theBackoffDoublesFromFiveMinutesUpToSixHours() {
        assertThat(renewal.retryAt(1, NOW)).isEqualTo(NOW.plus(Duration.ofMinutes(5)));
        assertThat(renewal.retryAt(2, NOW)).isEqualTo(NOW.plus(Duration.ofMinutes(10)));
        assertThat(renewal.retryAt(4, NOW)).isEqualTo(NOW.plus(Duration.ofMinutes(40)));
        assertThat(renewal.retryAt(50, NOW)).isEqualTo(NOW.plus(Duration.ofHours(6)));
    }
}
