package io.slipway.controller.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The web task's health check: often while a task starts, seldom after, as far as the engine can tell the two apart. */
class HealthCheckTest {
    @Test
    void anEngineWithStartIntervalsChecksEveryQuarterSecondWhileStartingAndEveryTenSecondsAfter() {
        var check = SwarmServices.healthCheck("1.44");
        assertThat(check.getStartInterval()).isEqualTo(Duration.ofMillis(250).toNanos());
        assertThat(check.getInterval()).isEqualTo(Duration.ofSeconds(10).toNanos());
        assertThat(check.getTest()).containsExactly("CMD", "/bin/bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/5000");
        assertThat(SwarmServices.healthCheck("1.47").getStartInterval()).isNotNull();
        assertThat(SwarmServices.healthCheck("2.0").getStartInterval()).isNotNull();
    }

    @Test
    void anOlderEngine_Docker20_10_ChecksEverySecondAllAlong() {
        var check = SwarmServices.healthCheck("1.41");
        assertThat(check.getStartInterval()).isNull();
        assertThat(check.getInterval()).isEqualTo(Duration.ofSeconds(1).toNanos());
        assertThat(SwarmServices.healthCheck("1.9").getStartInterval()).as("1.9 is older than 1.44").isNull();
        assertThat(SwarmServices.healthCheck("garbage").getInterval()).isEqualTo(Duration.ofSeconds(1).toNanos());
    }
}
