package io.slipway.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouterConfigTest {
    @Test
    void defaultsAreThePlatformsDefaults() {
        RouterConfig c = RouterConfig.fromEnv(Map.of("SLIPWAY_HOME", "/srv/slipway"));
        assertThat(c.bind()).isEqualTo("127.0.0.1");
        assertThat(c.port()).isEqualTo(8080);
        assertThat(c.domain()).isEqualTo("localhost");
        assertThat(c.timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.ioThreads()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(c.logPort()).isEqualTo(5051);
        assertThat(c.logKeyFile()).isEqualTo(Path.of("/srv/slipway/log-key"));
        assertThat(c.database().describe()).isEqualTo("the embedded PostgreSQL under " + Path.of("/srv/slipway/postgres"));
    }

    @Test
    void requestLinesGoWhereTheControllerTakesLogLines() {
        assertThat(RouterConfig.fromEnv(Map.of("SLIPWAY_API_PORT", "6000")).logPort()).isEqualTo(6001);
        assertThat(RouterConfig.fromEnv(Map.of("SLIPWAY_API_PORT", "6000", "SLIPWAY_LOG_PORT", "7000")).logPort()).isEqualTo(7000);
        assertThat(RouterConfig.fromEnv(Map.of("SLIPWAY_ROUTER_LOG", "stdout")).logPort()).isZero();
        assertThatThrownBy(() -> RouterConfig.fromEnv(Map.of("SLIPWAY_LOG_PORT", "udp"))).hasMessageContaining("SLIPWAY_LOG_PORT");
    }

    @Test
    void theDynoTimeoutTakesSecondsOrAUnit() {
        assertThat(RouterConfig.parseTimeout("45")).isEqualTo(Duration.ofSeconds(45));
        assertThat(RouterConfig.parseTimeout("1500ms")).isEqualTo(Duration.ofMillis(1500));
        assertThat(RouterConfig.parseTimeout("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThatThrownBy(() -> RouterConfig.parseTimeout("soon")).hasMessageContaining("SLIPWAY_ROUTER_TIMEOUT");
        assertThatThrownBy(() -> RouterConfig.fromEnv(Map.of("SLIPWAY_ROUTER_TIMEOUT", "0"))).hasMessageContaining("positive");
    }

    @Test
    void aDatabaseUrlInHerokusFormIsReadWithoutShowingItsPassword() throws Exception {
        RouteDatabase db = RouteDatabase.ofUrl("postgres://router:s%40cret@db.internal:6543/slipway?sslmode=require");
        RouteDatabase.Target t = db.resolve();
        assertThat(t.url()).isEqualTo("jdbc:postgresql://db.internal:6543/slipway?sslmode=require");
        assertThat(t.user()).isEqualTo("router");
        assertThat(t.password()).isEqualTo("s@cret");
        assertThat(db.describe()).doesNotContain("s@cret").doesNotContain("s%40cret");
    }

    @Test
    void badSettingsSayWhichVariableIsWrong() {
        assertThatThrownBy(() -> RouterConfig.fromEnv(Map.of("SLIPWAY_ROUTER_PORT", "http"))).hasMessageContaining("SLIPWAY_ROUTER_PORT");
        assertThatThrownBy(() -> RouterConfig.fromEnv(Map.of("SLIPWAY_DOMAIN", "not a domain"))).hasMessageContaining("SLIPWAY_DOMAIN");
        assertThatThrownBy(() -> RouterConfig.fromEnv(Map.of("DATABASE_URL", "mysql://x/y"))).hasMessageContaining("DATABASE_URL");
        assertThatThrownBy(() -> RouterConfig.fromEnv(Map.of("SLIPWAY_ROUTER_IO_THREADS", "0"))).hasMessageContaining("SLIPWAY_ROUTER_IO_THREADS");
    }

    @Test
    void theEmbeddedDatabaseIsLookedUpWhenConnectingBecauseTheControllerCreatesItLater() {
        RouteDatabase db = RouteDatabase.embeddedUnder(Path.of("/nonexistent-home"));
        assertThatThrownBy(db::resolve).hasMessageContaining("has not been set up yet");
    }
}
