package io.slipway.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code slipway logs}: the query it sends, its filters checked before asking, and the lines as sent. */
class LogsArgumentsTest {
    private static final String LINES = """
            2026-11-24T13:00:00.120Z app[web.1]: listening on 5000
            2026-11-24T13:00:01.004Z router: GET / 200 3ms
            """;

    @TempDir
    Path home;

    private StandInPlatform api;
    private SlipwayCli slipway;

    @BeforeEach
    void standIn() {
        api = new StandInPlatform();
        api.answer("GET /apps/shop/log-stream", 200, LINES);
        slipway = api.cli(home);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void theRecentLinesAreCopiedAsTheyCame() {
        assertThat(slipway.ok("logs", "-a", "shop").out()).isEqualTo(LINES);
        assertThat(api.only().query()).isEqualTo("lines=100&tail=false");
    }

    @Test
    void theFiltersAndCountGoInTheQuery() {
        slipway.ok("logs", "-a", "shop", "-n", "5", "--ps", "web.1", "--source", "router");
        assertThat(api.only().query()).isEqualTo("lines=5&tail=false&dyno=web.1&source=router");
    }

    @Test
    void aProcessTypeIsAFilterToo() {
        slipway.ok("logs", "-a", "shop", "--dyno", "worker", "--source", "app");
        assertThat(api.only().query()).isEqualTo("lines=100&tail=false&dyno=worker&source=app");
    }

    @Test
    void platformIsTheSlipwaySourceAndSeveralSourcesAreAComma() {
        slipway.ok("logs", "-a", "shop", "--source", "platform");
        slipway.ok("logs", "-a", "shop", "--source", "app,router");
        assertThat(api.requests()).extracting(StandInPlatform.Request::query)
                .containsExactly("lines=100&tail=false&source=slipway", "lines=100&tail=false&source=app,router");
    }

    @ParameterizedTest
    @ValueSource(strings = {"web 1", "web.x", "../x", "web.1.2", "", "Web"})
    void aPsThatIsNotADynoOrTypeIsAUsageError(String ps) {
        slipway.run("logs", "-a", "shop", "--ps", ps).failsWith(2, "is not a dyno (web.1) or process type (web)");
        assertThat(api.requests()).isEmpty();
    }

    @Test
    void anUnknownSourceIsAUsageErrorListingTheKnownOnes() {
        slipway.run("logs", "-a", "shop", "--source", "nginx").failsWith(2, "'nginx'", "app, router, build, slipway");
        slipway.run("logs", "-a", "shop", "--source", "app,").failsWith(2, "''");
        assertThat(api.requests()).isEmpty();
    }

    @Test
    void aNegativeCountIsAUsageError() {
        slipway.run("logs", "-a", "shop", "-n", "-1").failsWith(2, "-n must be 0 or more");
        slipway.run("logs", "-a", "shop", "-n", "many").failsWith(2, "many");
        assertThat(api.requests()).isEmpty();
    }

    @Test
    void logsOfAnUnknownAppIsThePlatformsMessage() {
        api.answer("GET /apps/nosuch/log-stream", 404, "{\"id\":\"not_found\",\"message\":\"no app 'nosuch'\"}");
        slipway.run("logs", "-a", "nosuch").failsWith(1, "no app 'nosuch'");
    }
}
