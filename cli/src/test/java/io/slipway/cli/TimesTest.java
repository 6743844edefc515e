package io.slipway.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class TimesTest {
    static final Instant NOW = Instant.parse("2026-11-24T13:00:00Z");

    @Test
    void timesAreUtcToTheSecond() {
        assertThat(Times.at(Instant.parse("2026-11-24T13:00:00.987654Z"))).isEqualTo("2026-11-24T13:00:00Z");
        assertThat(Times.at(null)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
            "0,      ~ 0s",
            "42,     ~ 42s",
            "59,     ~ 59s",
            "60,     ~ 1m",
            "299,    ~ 4m",
            "3599,   ~ 59m",
            "3600,   ~ 1h",
            "86399,  ~ 23h",
            "172800, ~ 2d",
            "-5,     ~ 0s",
    })
    void agesUseTheCoarsestUnitThatIsNotZero(long secondsAgo, String age) {
        assertThat(Times.age(NOW.minusSeconds(secondsAgo), NOW)).isEqualTo(age);
    }

    @Test
    void secondsUntilRoundUpAndNeverGoNegative() {
        assertThat(Times.secondsUntil(NOW.plusMillis(7001), NOW)).isEqualTo(8);
        assertThat(Times.secondsUntil(NOW.plusSeconds(8), NOW)).isEqualTo(8);
        assertThat(Times.secondsUntil(NOW.minusSeconds(3), NOW)).isZero();
    }
}
