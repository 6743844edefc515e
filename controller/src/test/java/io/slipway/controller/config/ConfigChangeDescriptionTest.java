package io.slipway.controller.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The descriptions config changes record are what releases will show, in Heroku's words. */
class ConfigChangeDescriptionTest {
    @Test
    void describesSetsUnsetsAndBoth() {
        assertThat(ConfigService.describe(List.of("GREETING"), List.of())).isEqualTo("Set GREETING config vars");
        assertThat(ConfigService.describe(List.of(), List.of("A", "B"))).isEqualTo("Unset A, B config vars");
        assertThat(ConfigService.describe(List.of("A"), List.of("B"))).isEqualTo("Set A and unset B config vars");
    }
}
