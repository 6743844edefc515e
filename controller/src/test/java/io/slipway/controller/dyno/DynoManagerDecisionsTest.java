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
import io.slipway.controller.release.Release;
import io.slipway.controller.release.ReleaseService;
import io.slipway.controller.release.ReleaseState;
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
        releases = new ReleaseService(db);
        manager = new DynoManager(db, releases, runtime, clock, new DynoManager.Settings(Duration.ofHours(1),
                Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofSeconds(2), new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(8)), 20, Duration.ZERO), "test");
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

        pass();

        assertThat(runtime.starts).containsExactly("slipway-test-shop-web-1-v" + v1);
        assertThat(state(v1)).isEqualTo(ReleaseState.LIVE);
        assertThat(state("web")).isEqualTo(DynoState.UP);
    }

    @Test
    void aReleaseWhoseWebDynoNeverBindsFailsAfterTheBootTimeoutAndTheOldOneKeepsServing() {
        int v1 = release(Map.of("web", "serve"));
        pass();
        runtime.bindsPort = false;
        int v2 = release(Map.of("web", "never binds"));

        pass();
        assertThat(state(v2)).isEqualTo(ReleaseState.BOOTING);
        clock.advance(Duration.ofSeconds(61));
        pass();

        assertThat(state(v2)).isEqualTo(ReleaseState.FAILED);
        assertThat(releases.find(app, v2).orElseThrow().failure())
                .startsWith("web.1 did not accept connections on $PORT within 60 s");
        assertThat(releases.current(app).orElseThrow().version()).isEqualTo(v1);
        assertThat(runtime.running("-v" + v1)).isEqualTo(1);
    }

    @Test
    void aCrashRestartsAtOnceThenWaitsOneTwoFourSeconds() {
        release(Map.of("web", "serve"));
        pass();

        runtime.crash("web-1", 1);
        pass();
        assertThat(runtime.restarts).hasSize(1); // at once

        runtime.crash("web-1", 1);
        pass();
        assertThat(runtime.restarts).hasSize(1);
        assertThat(state("web")).isEqualTo(DynoState.RESTARTING);
        clock.advance(Duration.ofMillis(999));
        pass();
        assertThat(runtime.restarts).hasSize(1);
        clock.advance(Duration.ofMillis(1));
        pass();
        assertThat(runtime.restarts).hasSize(2); // after 1 s

        runtime.crash("web-1", 1);
        pass();
        clock.advance(Duration.ofSeconds(2));
        pass();
        assertThat(runtime.restarts).hasSize(3); // after 2 s

        runtime.crash("web-1", 1);
        pass();
        clock.advance(Duration.ofSeconds(3));
        pass();
        assertThat(runtime.restarts).hasSize(3); // 4 s not yet up
        clock.advance(Duration.ofSeconds(1));
        pass();
        assertThat(runtime.restarts).hasSize(4);
    }

    @Test
    void scalingStartsAndStopsDynosToMatchTheFormation() throws Exception {
        release(Map.of("web", "serve"));
        pass();
        new FormationService(db, releases, 20).scale(app,
                java.util.List.of(new io.slipway.api.FormationUpdate.Item("web", 3, null)), "test");
        pass();
        assertThat(runtime.running("-web-")).isEqualTo(3);

        new FormationService(db, releases, 20).scale(app,
                java.util.List.of(new io.slipway.api.FormationUpdate.Item("web", 1, null)), "test");
        pass();
        Thread.sleep(200); // stops run in the background
        assertThat(runtime.running("-web-")).isEqualTo(1);
    }

    private int release(Map<String, String> types) {
        BuildService builds = new BuildService(db);
        Build build = builds.start(app, "0123456789abcdef0123456789abcdef01234567", "test");
        builds.succeeded(build, new Builder.Result("image:" + build.number(), "fake", Map.of(), null), types, "");
        return db.inTransaction(c -> releases.create(c, app, build.id(), Map.of(), types, "Deploy", "test")).version();
    }

    @Test
    void aWebDynoThatCrashesWhileBootingFailsItsReleaseWithItsLastLinesAndIsNotRestarted() throws Exception {
        int v1 = release(Map.of("web", "serve"));
        pass();
        runtime.bindsPort = false;
        runtime.lastLines = java.util.List.of("Error: Could not find or load main class Main",
                "Caused by: java.lang.ClassNotFoundException: Main");
        int v2 = release(Map.of("web", "java Main"));
        pass();

        runtime.crash("-v" + v2, 1);
        pass();

        Release failed = releases.find(app, v2).orElseThrow();
        assertThat(failed.state()).isEqualTo(ReleaseState.FAILED);
        assertThat(failed.failure()).isEqualTo("web.1 exited with code 1 while v" + v2 + " was booting; its last output:\n"
                + "Error: Could not find or load main class Main\nCaused by: java.lang.ClassNotFoundException: Main");
        assertThat(runtime.restarts).isEmpty();
        assertThat(releases.current(app).orElseThrow().version()).isEqualTo(v1);
        pass(); // the next pass stops the failed release's dyno
        Thread.sleep(200); // stops run in the background
        assertThat(runtime.running("-v" + v2)).isZero();
        assertThat(manager.dynos(app.id())).extracting(DynoStore.Row::release).containsOnly(v1);
    }

    @Test
    void aReleaseMadeWhileAnotherBootsSupersedesIt() {
        release(Map.of("web", "serve"));
        pass();
        runtime.bindsPort = false;
        int v2 = release(Map.of("web", "slow"));
        pass();
        runtime.bindsPort = true;
        int v3 = release(Map.of("web", "fast"));

        pass();

        assertThat(state(v2)).isEqualTo(ReleaseState.SUPERSEDED);
        assertThat(releases.find(app, v2).orElseThrow().failure()).isEqualTo("superseded by v" + v3 + " before it went live");
        assertThat(state(v3)).isEqualTo(ReleaseState.LIVE);
    }

    /** Two of the manager's passes: one starts what is missing, the next observes it (in production a wake). */
    private void pass() {
        manager.tick();
        manager.tick();
    }

    private ReleaseState state(int version) {
        return releases.find(app, version).orElseThrow().state();
    }

    private DynoState state(String type) {
        return manager.dynos(app.id()).stream().filter(r -> r.type().equals(type)).findFirst().orElseThrow().state();
    }
}
