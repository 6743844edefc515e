package io.slipway.controller.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.controller.ControllerConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SLIPWAY_SCHEDULER: docker unless told, swarm when told, one clear line for anything else. */
class SchedulerSettingTest {

    @Test
    void theOneLocalEngineSchedulesUnlessSwarmIsAskedFor() {
        assertThat(ControllerConfig.fromEnv(Map.of()).scheduler()).isEqualTo(Scheduler.DOCKER);
        assertThat(ControllerConfig.fromEnv(Map.of("SLIPWAY_SCHEDULER", "")).scheduler()).isEqualTo(Scheduler.DOCKER);
        assertThat(ControllerConfig.fromEnv(Map.of("SLIPWAY_SCHEDULER", "docker")).scheduler()).isEqualTo(Scheduler.DOCKER);
        assertThat(ControllerConfig.fromEnv(Map.of("SLIPWAY_SCHEDULER", " Swarm ")).scheduler()).isEqualTo(Scheduler.SWARM);
    }

    @Test
    void anyOtherSchedulerStopsTheControllerWithALineSayingWhatItMayBe() {
        assertThatThrownBy(() -> ControllerConfig.fromEnv(Map.of("SLIPWAY_SCHEDULER", "kubernetes")))
                .hasMessage("SLIPWAY_SCHEDULER must be docker (one Docker engine, the default) or swarm "
                        + "(Docker Swarm, with DOCKER_HOST a Swarm manager), got 'kubernetes'");
    }
}
