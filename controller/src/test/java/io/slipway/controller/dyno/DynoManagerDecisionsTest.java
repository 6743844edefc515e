package io.slipway.controller.dyno;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.controller.app.App;
import io.slipway.controller.app.AppName;
import io.slipway.controller.app.AppService;
import io.slipway.controller.build.Build;
import io.slipway.controller.build.BuildService;
import io.slipway.controller.build.Builder;
import io.slipway.controller.db.Database;
import io.slipway.controller.db.DatabaseUrl;
import io.slipway.controller.release.ReleaseService;
import io.slipway.controller.testing.SharedPostgres;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The manager's decisions on a real database with an in-memory engine and a hand-moved clock:
 * crash restarts and their backoff, rollouts that go live or fail, without sleeping.
 */
class DynoManagerDecisionsTest {
    private String url;
    private Database db;
    private final MutableClock clock = new MutableClock();
    private FakeRuntime runtime;
    private DynoManager manager;
    private ReleaseService releases;
    private App app;

    @BeforeEach
    void setUp() {
        url = SharedPostgres.get().createDatabase();
        db = Database.open(DatabaseUrl.parse(url), Duration.ofSeconds(3), Duration.ofSeconds(10));
        runtime = new FakeRuntime(clock);
        manager = new DynoManager(db, runtime, clock, new DynoManager.Settings(Duration.ofHours(1), Duration.ofSeconds(1),
                Duration.ofSeconds(60), new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(8)), 20, Duration.ZERO), "test");
        releases = new ReleaseService(db);
        app = new AppService(db).create(Optional.of(new AppName("shop")), "test");
    }

    @AfterEach
    void tearDown() {
        manager.close();
        db.close();
        SharedPostgres.get().dropDatabase(url);
    }

    @Test
    void aNewReleaseGoesLiveOnceItsWebDynoAcceptsConnections() {
        int v1 = release(Map.of("web", "serve", "worker", "work"));

        manager.tick();

        assertThat(runtime.starts).containsExactly("slipway-test-shop-web-1-v" + v1);
        assertThat(releases.status(app, v1)).isEqualTo("succeeded");
        assertThat(state("web")).isEqualTo("up");
    }

    @Test
    void aReleaseWhoseWebDynoNeverBindsFailsAfterTheBootTimeoutAndTheOldOneKeepsServing() {
        int v1 = release(Map.of("web", "serve"));
        manager.tick();
        runtime.bindsPort = false;
        int v2 = release(Map.of("web", "never binds"));

        manager.tick();
        assertThat(releases.status(app, v2)).isEqualTo("pending");
        clock.advance(Duration.ofSeconds(61));
        manager.tick();

        assertThat(releases.status(app, v2)).isEqualTo("failed");
        assertThat(releases.current(app).orElseThrow().version()).isEqualTo(v1);
        assertThat(runtime.running("-v" + v1)).isEqualTo(1);
    }

    @Test
    void aCrashRestartsAtOnceThenWaitsOneTwoFourSeconds() {
        release(Map.of("web", "serve"));
        manager.tick();

        runtime.crash("web-1", 1);
        manager.tick();
        assertThat(runtime.restarts).hasSize(1); // at once

        runtime.crash("web-1", 1);
        manager.tick();
        assertThat(runtime.restarts).hasSize(1);
        assertThat(state("web")).isEqualTo("restarting");
        clock.advance(Duration.ofMillis(999));
        manager.tick();
        assertThat(runtime.restarts).hasSize(1);
        clock.advance(Duration.ofMillis(1));
        manager.tick();
        assertThat(runtime.restarts).hasSize(2); // after 1 s

        runtime.crash("web-1", 1);
        manager.tick();
        clock.advance(Duration.ofSeconds(2));
        manager.tick();
        assertThat(runtime.restarts).hasSize(3); // after 2 s

        runtime.crash("web-1", 1);
        manager.tick();
        clock.advance(Duration.ofSeconds(3));
        manager.tick();
        assertThat(runtime.restarts).hasSize(3); // 4 s not yet up
        clock.advance(Duration.ofSeconds(1));
        manager.tick();
        assertThat(runtime.restarts).hasSize(4);
    }

    @Test
    void scalingStartsAndStopsDynosToMatchTheFormation() throws Exception {
        release(Map.of("web", "serve"));
        manager.tick();
        new FormationService(db, releases, 20).scale(app,
                java.util.List.of(new io.slipway.api.FormationUpdate.Item("web", 3, null)), "test");
        manager.tick();
        assertThat(runtime.running("-web-")).isEqualTo(3);

        new FormationService(db, releases, 20).scale(app,
                java.util.List.of(new io.slipway.api.FormationUpdate.Item("web", 1, null)), "test");
        manager.tick();
        Thread.sleep(200); // stops run in the background
        assertThat(runtime.running("-web-")).isEqualTo(1);
    }

    private int release(Map<String, String> types) {
        BuildService builds = new BuildService(db);
        Build build = builds.start(app, "0123456789abcdef0123456789abcdef01234567", "test");
        builds.succeeded(build, new Builder.Result("image:" + build.number(), "fake", Map.of()), types, "");
        return db.inTransaction(c -> releases.create(c, app, build.id(), Map.of(), types, "Deploy", "test")).version();
    }

    private String state(String type) {
        return manager.dynos(app.id()).stream().filter(r -> r.type().equals(type)).findFirst().orElseThrow().state();
    }
}
