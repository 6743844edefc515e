package io.slipway.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The limits of the containers the platform starts: defaults, and one clear line for a bad value. */
class ControllerConfigLimitsTest {

    @Test
    void buildsGetTwoGigabytesAtMostTwoCpusAndLogsOfThreeTimesTenMegabytesUnlessTold() {
        ControllerConfig config = ControllerConfig.fromEnv(Map.of());
        assertThat(config.buildMemoryBytes()).isEqualTo(2L << 30);
        assertThat(config.buildCpus()).isEqualTo(Math.min(2, Runtime.getRuntime().availableProcessors()));
        assertThat(config.containerLogs().maxSize()).isEqualTo("10m");
        assertThat(config.containerLogs().maxFiles()).isEqualTo(3);
    }

    @Test
    void sizesAndCpusAreReadInTheirUsualSpellings() {
        ControllerConfig config = ControllerConfig.fromEnv(Map.of("SLIPWAY_BUILD_MEMORY", "1536M", "SLIPWAY_BUILD_CPUS", "0.5",
                "SLIPWAY_CONTAINER_LOG_MAX_SIZE", "20M", "SLIPWAY_CONTAINER_LOG_MAX_FILES", "5"));
        assertThat(config.buildMemoryBytes()).isEqualTo(1536L << 20);
        assertThat(config.buildCpus()).isEqualTo(0.5);
        assertThat(config.containerLogs().maxSize()).isEqualTo("20m");
        assertThat(config.containerLogs().maxFiles()).isEqualTo(5);
    }

    @Test
    void badLimitsStopTheControllerWithALineSayingWhatIsWrong() {
        assertThatThrownBy(() -> ControllerConfig.fromEnv(Map.of("SLIPWAY_BUILD_MEMORY", "lots")))
                .hasMessage("SLIPWAY_BUILD_MEMORY must be a size like 2g, 1536m or 512m, got 'lots'");
        assertThatThrownBy(() -> ControllerConfig.fromEnv(Map.of("SLIPWAY_BUILD_MEMORY", "64m")))
                .hasMessage("SLIPWAY_BUILD_MEMORY must be at least 256m, got 64m");
        assertThatThrownBy(() -> ControllerConfig.fromEnv(Map.of("SLIPWAY_BUILD_CPUS", "two")))
                .hasMessage("SLIPWAY_BUILD_CPUS must be a number of CPUs like 1 or 1.5, got 'two'");
        int cpus = Runtime.getRuntime().availableProcessors();
        assertThatThrownBy(() -> ControllerConfig.fromEnv(Map.of("SLIPWAY_BUILD_CPUS", Integer.toString(cpus + 1))))
                .hasMessageStartingWith("SLIPWAY_BUILD_CPUS must be from 0.1 to " + cpus + " (this host's CPUs)");
        assertThatThrownBy(() -> ControllerConfig.fromEnv(Map.of("SLIPWAY_CONTAINER_LOG_MAX_SIZE", "10")))
                .hasMessage("SLIPWAY_CONTAINER_LOG_MAX_SIZE must be a size like 10m, 512k or 1g, got '10'");
        assertThatThrownBy(() -> ControllerConfig.fromEnv(Map.of("SLIPWAY_CONTAINER_LOG_MAX_FILES", "0")))
                .hasMessage("SLIPWAY_CONTAINER_LOG_MAX_FILES must be a positive whole number, got '0'");
    }
}
