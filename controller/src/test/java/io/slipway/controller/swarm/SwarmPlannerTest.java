package io.slipway.controller.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.controller.dyno.DynoPlanner;
import io.slipway.controller.dyno.DynoState;
import io.slipway.controller.dyno.DynoStore;
import io.slipway.controller.release.ReleaseState;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The Swarm scheduler's decisions, from made-up services and tasks: what a deploy, a scale and a crash lead to. */
class SwarmPlannerTest {
    static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");
    static final UUID APP = UUID.randomUUID();
    final SwarmPlanner planner = new SwarmPlanner(Duration.ofSeconds(60), Duration.ofSeconds(2));

    @Test
    void aFirstDeployCreatesOneServicePerProcessTypeWithTheFormationsQuantity() {
        var plan = planner.plan(desired(release(1, ReleaseState.BOOTING), null, Map.of("web", 3, "worker", 1)),
                List.of(), List.of(), Map.of(), NOW);

        assertThat(plan.creates()).containsExactlyInAnyOrder(new SwarmPlanner.Create("web", 1, 3),
                new SwarmPlanner.Create("worker", 1, 1));
        assertThat(plan.outcome()).isInstanceOf(DynoPlanner.Outcome.Pending.class);
    }

    @Test
    void theTargetGoesLiveOnlyWhenEveryTaskRunsAndThenItsWebDynosAreRoutableAndTheOldServiceGoes() {
        var old = service("s1", "web", 1, 2);
        var fresh = service("s2", "web", 2, 2);
        List<SwarmPlanner.Task> tasks = List.of(task("a", old, 1, SwarmPlanner.Phase.RUNNING), task("b", old, 2, SwarmPlanner.Phase.RUNNING),
                task("c", fresh, 1, SwarmPlanner.Phase.RUNNING), task("d", fresh, 2, SwarmPlanner.Phase.STARTING));
        var d = desired(release(2, ReleaseState.BOOTING), release(1, ReleaseState.LIVE), Map.of("web", 2));

        var booting = planner.plan(d, List.of(old, fresh), tasks, Map.of(), NOW);
        assertThat(booting.outcome()).isInstanceOf(DynoPlanner.Outcome.Pending.class);
        assertThat(booting.removes()).as("the live release serves until the new one is up").isEmpty();
        assertThat(booting.rows().values()).filteredOn(DynoStore.Row::routable)
                .extracting(DynoStore.Row::release).containsOnly(1);

        List<SwarmPlanner.Task> allUp = List.of(tasks.get(0), tasks.get(1), tasks.get(2),
                task("d", fresh, 2, SwarmPlanner.Phase.RUNNING));
        var up = planner.plan(d, List.of(old, fresh), allUp, booting.rows(), NOW);
        assertThat(up.outcome()).isEqualTo(new DynoPlanner.Outcome.Live(2));
        assertThat(up.rows().values()).filteredOn(DynoStore.Row::routable)
                .extracting(DynoStore.Row::containerName)
                .containsExactlyInAnyOrder("slipway-p-shop-web-v2.1", "slipway-p-shop-web-v2.2");
        DynoStore.Row second = up.rows().get("slipway-p-shop-web-v2.2");
        assertThat(second.host() + ":" + second.port()).as("a router reaches it at its node's address and published port")
                .isEqualTo("10.0.0.3:30002");

        var after = planner.plan(desired(release(2, ReleaseState.LIVE), release(2, ReleaseState.LIVE), Map.of("web", 2)),
                List.of(old, fresh), allUp, up.rows(), NOW);
        assertThat(after.removes()).extracting(r -> r.service().id()).containsExactly("s1");
        assertThat(after.removes().getFirst().why()).isEqualTo("v2 replaces v1");
    }

    @Test
    void aTaskThatExitsWhileItsReleaseBootsFailsTheReleaseWithItsExitCode() {
        var fresh = service("s2", "web", 2, 1);
        var plan = planner.plan(desired(release(2, ReleaseState.BOOTING), release(1, ReleaseState.LIVE), Map.of("web", 1)),
                List.of(fresh), List.of(exited("t", fresh, 1, 127)), Map.of(), NOW);

        assertThat(plan.outcome()).isInstanceOfSatisfying(DynoPlanner.Outcome.Failed.class, f -> {
            assertThat(f.reason()).isEqualTo("web.1 exited with code 127 while v2 was booting");
            assertThat(f.containerId()).isEqualTo("t");
        });
    }

    @Test
    void aTaskNoNodeCanRunFailsTheReleaseWithSwarmsReason() {
        var fresh = service("s2", "web", 2, 1);
        var rejected = new SwarmPlanner.Task("t", "s2", 1, "node-2", SwarmPlanner.Phase.REJECTED, false, null, null, NOW, null,
                "No such image: 10.0.0.2:5000/p/shop:v2");
        var plan = planner.plan(desired(release(2, ReleaseState.BOOTING), null, Map.of("web", 1)),
                List.of(fresh), List.of(rejected), Map.of(), NOW);

        assertThat(plan.outcome()).isInstanceOfSatisfying(DynoPlanner.Outcome.Failed.class, f ->
                assertThat(f.reason()).isEqualTo("web.1 could not start on node-2: No such image: 10.0.0.2:5000/p/shop:v2"));
    }

    @Test
    void scalingALiveReleaseChangesItsReplicasAndScalingToZeroRemovesTheService() {
        var web = service("s1", "web", 1, 2);
        var worker = service("s2", "worker", 1, 1);
        var plan = planner.plan(desired(release(1, ReleaseState.LIVE), release(1, ReleaseState.LIVE),
                Map.of("web", 5, "worker", 0)), List.of(web, worker), List.of(), Map.of(), NOW);

        assertThat(plan.scales()).containsExactly(new SwarmPlanner.Scale(web, 5));
        assertThat(plan.removes()).extracting(SwarmPlanner.Remove::why).containsExactly("scaled to 0");
    }

    @Test
    void aCrashedTaskOfALiveReleaseIsShownCrashedAndItsReplacementTakesItsSlot() {
        var web = service("s1", "web", 1, 1);
        var d = desired(release(1, ReleaseState.LIVE), release(1, ReleaseState.LIVE), Map.of("web", 1));
        var first = planner.plan(d, List.of(web), List.of(task("a", web, 1, SwarmPlanner.Phase.RUNNING)), Map.of(), NOW);
        var crashed = planner.plan(d, List.of(web), List.of(exited("a", web, 1, 1)), first.rows(), NOW);
        assertThat(crashed.rows().get("slipway-p-shop-web-v1.1").state()).isEqualTo(DynoState.CRASHED);
        assertThat(crashed.events()).extracting(DynoPlanner.Event::text)
                .contains("Process exited with status 1", "State changed from up to crashed");

        var replaced = planner.plan(d, List.of(web), List.of(exited("a", web, 1, 1), task("b", web, 1, SwarmPlanner.Phase.RUNNING)),
                crashed.rows(), NOW);
        DynoStore.Row row = replaced.rows().get("slipway-p-shop-web-v1.1");
        assertThat(row.containerId()).isEqualTo("b");
        assertThat(row.state()).isEqualTo(DynoState.UP);
        assertThat(row.restarts()).isEqualTo(1);
        assertThat(row.routable()).isTrue();
    }

    @Test
    void aRunningWebTaskWhoseNodeHasNotReportedItsPortIsNotRoutableYet() {
        var web = service("s1", "web", 1, 1);
        var noPort = new SwarmPlanner.Task("a", "s1", 1, "node-1", SwarmPlanner.Phase.RUNNING, true, "10.0.0.2", null,
                NOW.minusSeconds(5), null, null);
        var plan = planner.plan(desired(release(1, ReleaseState.LIVE), release(1, ReleaseState.LIVE), Map.of("web", 1)),
                List.of(web), List.of(noPort), Map.of(), NOW);
        assertThat(plan.rows().get("slipway-p-shop-web-v1.1").state()).isEqualTo(DynoState.UP);
        assertThat(plan.rows().get("slipway-p-shop-web-v1.1").routable()).isFalse();
    }

    @Test
    void aRestartAskedAfterTheServiceWasMadeRollsItOnce() {
        var web = service("s1", "web", 1, 2);
        Instant asked = NOW.minusSeconds(1);
        var d = new DynoStore.Desired(APP, "shop", release(1, ReleaseState.LIVE), release(1, ReleaseState.LIVE),
                Map.of("web", 2), Map.of(), Map.of("web", asked));
        assertThat(planner.plan(d, List.of(web), List.of(), Map.of(), NOW).restarts())
                .containsExactly(new SwarmPlanner.Restart(web, asked));

        var restarted = new SwarmPlanner.Service("s1", 2, web.name(), "web", 1, 2, web.createdAt(), asked);
        assertThat(planner.plan(d, List.of(restarted), List.of(), Map.of(), NOW).restarts()).isEmpty();
    }

    static DynoStore.Desired desired(DynoStore.ReleaseRef target, DynoStore.ReleaseRef live, Map<String, Integer> formation) {
        return new DynoStore.Desired(APP, "shop", target, live, new HashMap<>(formation), Map.of(), Map.of());
    }

    static DynoStore.ReleaseRef release(int version, ReleaseState state) {
        return new DynoStore.ReleaseRef(version, "slipway/app-shop:v" + version, "abc", Map.of(),
                Map.of("web", "serve", "worker", "work"), state, NOW.minusSeconds(100));
    }

    static SwarmPlanner.Service service(String id, String type, int release, int replicas) {
        return new SwarmPlanner.Service(id, 1, "slipway-p-shop-" + type + "-v" + release, type, release, replicas,
                NOW.minusSeconds(30), null);
    }

    static SwarmPlanner.Task task(String id, SwarmPlanner.Service s, int slot, SwarmPlanner.Phase phase) {
        return new SwarmPlanner.Task(id, s.id(), slot, "node-" + slot, phase, true, "10.0.0." + (slot + 1),
                phase == SwarmPlanner.Phase.RUNNING ? 30000 + slot : null, NOW.minusSeconds(20), null, null);
    }

    static SwarmPlanner.Task exited(String id, SwarmPlanner.Service s, int slot, int code) {
        return new SwarmPlanner.Task(id, s.id(), slot, "node-" + slot, SwarmPlanner.Phase.EXITED, false, "10.0.0." + (slot + 1),
                null, NOW.minusSeconds(10), code, "task: non-zero exit (" + code + ")");
    }
}
