package io.slipway.controller.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Forged datagrams are told about as a count, once a minute at most, never one log line each. */
class UnsignedDropReportTest {
    private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

    @Test
    void aFloodWithinAMinuteIsOneLineWithItsCountAfterTheMinute() {
        RouterLogListener.DropReport report = new RouterLogListener.DropReport(Duration.ofMinutes(1), T0);
        for (int i = 1; i <= 10_000; i++) {
            assertThat(report.due(T0.plusMillis(i * 5L), i)).isNull(); // 10,000 in 50 s: nothing yet
        }
        assertThat(report.due(T0.plusSeconds(61), 10_001)).startsWith("dropped 10001 datagrams without the platform's tag in the last 61 s");
        assertThat(report.due(T0.plusSeconds(62), 10_002)).isNull();
        assertThat(report.due(T0.plusSeconds(125), 10_050)).startsWith("dropped 49 datagrams").contains("last 64 s");
    }

    @Test
    void nothingIsSaidWhenNothingWasDropped() {
        RouterLogListener.DropReport report = new RouterLogListener.DropReport(Duration.ofMinutes(1), T0);
        assertThat(report.due(T0.plusSeconds(3600), 0)).isNull();
        assertThat(report.due(T0.plusSeconds(3601), 1)).startsWith("dropped 1 datagrams");
    }
}
