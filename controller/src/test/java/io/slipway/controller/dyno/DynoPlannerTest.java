package io.slipway.controller.dyno;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.controller.docker.Labels;
import io.slipway.controller.release.ReleaseState;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The dyno manager's decisions as a pure function: no engine, no database, no clock but the one passed in. */
class DynoPlannerTest {
    private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");
    private final DynoPlanner planner = new DynoPlanner("p", Duration.ofSeconds(60), Duration.ofSeconds(2),
            new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(8)));
    private final UUID appId = UUID.randomUUID();

    @Test
    void aFirstReleaseStartsItsWebDynoAndGoesLiveOnceItAccepts() {
        var d = desired(release(1, ReleaseState.BOOTING, Map.of("web", "serve")), null, Map.of());

        var first = planner.plan(d, List.of(), Map.of(), Set.of(), Set.of(), T0);
        assertThat(first.starts()).extracting(DynoPlanner.Start::name).containsExactly("slipway-p-shop-web-1-v1");
        assertThat(first.outcome()).isInstanceOf(DynoPlanner.Outcome.Pending.class);

        var web = running("web", 1, 1, T0);
        var notYet = planner.plan(d, List.of(web), Map.of(), Set.of(), Set.of(), T0.plusSeconds(1));
        assertThat(notYet.rows().get(web.name()).state()).isEqualTo(DynoState.STARTING);
        assertThat(notYet.outcome()).isInstanceOf(DynoPlanner.Outcome.Pending.class);

        var up = planner.plan(d, List.of(web), notYet.rows(), Set.of(web.name()), Set.of(), T0.plusSeconds(2));
        assertThat(up.outcome()).isEqualTo(new DynoPlanner.Outcome.Live(1));
        assertThat(up.rows().get(web.name()).routable()).isTrue();
    }

    @Test
    void aDynoThatExitsWhileItsReleaseBootsFailsItAtOnceWithItsExitCodeAndIsNotRestarted() {
        var d = desired(release(2, ReleaseState.BOOTING, Map.of("web", "java Main")),
                release(1, ReleaseState.LIVE, Map.of("web", "serve")), Map.of());
        var old = running("web", 1, 1, T0);
        var crashed = exited("web", 1, 2, 127, T0.plusSeconds(10), T0.plusSeconds(11));
        Map<String, DynoStore.Row> before = rowsOf(planner.plan(d, List.of(old), Map.of(), Set.of(old.name()), Set.of(), T0));

        var plan = planner.plan(d, List.of(old, crashed), before, Set.of(), Set.of(), T0.plusSeconds(11));

        assertThat(plan.outcome()).isEqualTo(new DynoPlanner.Outcome.Failed(2, "web.1", crashed.id(), 127,
                "web.1 exited with code 127 while v2 was booting"));
        assertThat(plan.restarts()).isEmpty();
        assertThat(plan.starts()).isEmpty();
        assertThat(plan.rows().get(crashed.name()).state()).isEqualTo(DynoState.CRASHED);
        assertThat(plan.rows().get(crashed.name()).routable()).isFalse();
        assertThat(plan.rows().get(old.name()).routable()).as("v1 keeps serving").isTrue();
        assertThat(plan.stops()).isEmpty();
    }

    @Test
    void aWebDynoThatNeverAcceptsFailsItsReleaseOnlyAfterTheBootTimeout() {
        var d = desired(release(1, ReleaseState.BOOTING, Map.of("web", "sleep infinity")), null, Map.of());
        var web = running("web", 1, 1, T0);

        var at59 = planner.plan(d, List.of(web), Map.of(), Set.of(), Set.of(), T0.plusSeconds(59));
        var at61 = planner.plan(d, List.of(web), at59.rows(), Set.of(), Set.of(), T0.plusSeconds(61));

        assertThat(at59.outcome()).isInstanceOf(DynoPlanner.Outcome.Pending.class);
        assertThat(at61.outcome()).isEqualTo(new DynoPlanner.Outcome.Failed(1, "web.1", web.id(), null,
                "web.1 did not accept connections on $PORT within 60 s"));
    }

    @Test
    void aWebDynoThatBindsLateStillGoesLiveWithinTheBootTimeout() {
        var d = desired(release(1, ReleaseState.BOOTING, Map.of("web", "sleep 30; serve")), null, Map.of());
        var web = running("web", 1, 1, T0);
        var waiting = planner.plan(d, List.of(web), Map.of(), Set.of(), Set.of(), T0.plusSeconds(20));

        var bound = planner.plan(d, List.of(web), waiting.rows(), Set.of(web.name()), Set.of(), T0.plusSeconds(31));

        assertThat(bound.outcome()).isEqualTo(new DynoPlanner.Outcome.Live(1));
    }

    @Test
    void aWorkerCountsAsBootedOnlyOnceItKeptRunningForTheSettleTime() {
        var d = desired(release(1, ReleaseState.BOOTING, Map.of("worker", "work")), null, Map.of("worker", 1));
        var worker = running("worker", 1, 1, T0);

        var early = planner.plan(d, List.of(worker), Map.of(), Set.of(), Set.of(), T0.plusSeconds(1));
        var settled = planner.plan(d, List.of(worker), early.rows(), Set.of(), Set.of(), T0.plusSeconds(2));

        assertThat(early.outcome()).isInstanceOf(DynoPlanner.Outcome.Pending.class);
        assertThat(settled.outcome()).isEqualTo(new DynoPlanner.Outcome.Live(1));
        assertThat(settled.rows().get(worker.name()).routable()).as("workers get no traffic").isFalse();
    }

    @Test
    void aReleaseWithNoDynosToRunIsLiveAtOnce() {
        // A worker-only app: Heroku scales workers to 0 until asked.
        var d = desired(release(1, ReleaseState.BOOTING, Map.of("worker", "work")), null, Map.of());

        var plan = planner.plan(d, List.of(), Map.of(), Set.of(), Set.of(), T0);

        assertThat(plan.starts()).isEmpty();
        assertThat(plan.outcome()).isEqualTo(new DynoPlanner.Outcome.Live(1));
    }

    @Test
    void onceTheTargetIsLiveTheOldReleasesDynosAreStoppedAndACrashIsRestarted() {
        var d = desired(release(2, ReleaseState.LIVE, Map.of("web", "serve")), release(2, ReleaseState.LIVE,
                Map.of("web", "serve")), Map.of());
        var old = running("web", 1, 1, T0);
        var crashed = exited("web", 1, 2, 1, T0, T0.plusSeconds(5));
        Map<String, DynoStore.Row> before = Map.of(crashed.name(), new DynoStore.Row(crashed.name(), "web", 1, 2,
                crashed.id(), 40001, DynoState.UP, true, 0, null, T0));

        var plan = planner.plan(d, List.of(old, crashed), before, Set.of(), Set.of(), T0.plusSeconds(5));

        assertThat(plan.stops()).extracting(s -> s.container().name()).containsExactly(old.name());
        assertThat(plan.restarts()).extracting(DynoRuntime.Container::name).containsExactly(crashed.name());
        assertThat(plan.rows().get(crashed.name()).restarts()).isEqualTo(1);
        assertThat(plan.outcome()).isInstanceOf(DynoPlanner.Outcome.Pending.class);
    }

    @Test
    void theLiveReleaseKeepsServingWhileTheTargetBootsAndTheCutOverHappensInOnePass() {
        var d = desired(release(2, ReleaseState.BOOTING, Map.of("web", "serve")),
                release(1, ReleaseState.LIVE, Map.of("web", "serve")), Map.of("web", 2));
        var old1 = running("web", 1, 1, T0);
        var old2 = running("web", 2, 1, T0);
        var new1 = running("web", 1, 2, T0.plusSeconds(10));
        var new2 = running("web", 2, 2, T0.plusSeconds(10));
        Set<String> oldUp = Set.of(old1.name(), old2.name());

        var half = planner.plan(d, List.of(old1, old2, new1, new2), Map.of(),
                union(oldUp, Set.of(new1.name())), Set.of(), T0.plusSeconds(11));
        assertThat(routable(half)).containsExactlyInAnyOrder(old1.name(), old2.name());

        var all = planner.plan(d, List.of(old1, old2, new1, new2), half.rows(), Set.of(new2.name()), Set.of(),
                T0.plusSeconds(12));
        assertThat(all.outcome()).isEqualTo(new DynoPlanner.Outcome.Live(2));
        assertThat(routable(all)).containsExactlyInAnyOrder(new1.name(), new2.name());
    }

    @Test
    void aRequestedRestartReplacesWebDynosOneAtATimeEachFreshOneRoutableBeforeItsOldOneStops() {
        var asked = T0.plusSeconds(100);
        var d = restarting(desired(release(1, ReleaseState.LIVE, Map.of("web", "serve")), null, Map.of("web", 2)),
                "", asked);
        var web1 = running("web", 1, 1, T0);
        var web2 = running("web", 2, 1, T0);
        var settled = planner.plan(withoutRestarts(d), List.of(web1, web2), Map.of(), Set.of(web1.name(), web2.name()),
                Set.of(), T0.plusSeconds(1)).rows();

        var first = planner.plan(d, List.of(web1, web2), settled, Set.of(), Set.of(), asked);
        assertThat(first.starts()).extracting(DynoPlanner.Start::name).containsExactly("slipway-p-shop-web-1-v1-g1");
        assertThat(first.stops()).isEmpty();
        assertThat(routable(first)).containsExactlyInAnyOrder(web1.name(), web2.name());

        var fresh1 = running("web", 1, 1, 1, asked.plusSeconds(1));
        var booting = planner.plan(d, List.of(web1, web2, fresh1), first.rows(), Set.of(), Set.of(), asked.plusSeconds(2));
        assertThat(booting.starts()).as("web.2 waits until the fresh web.1 is up").isEmpty();
        assertThat(booting.stops()).isEmpty();
        assertThat(routable(booting)).containsExactlyInAnyOrder(web1.name(), web2.name());

        var up = planner.plan(d, List.of(web1, web2, fresh1), booting.rows(), Set.of(fresh1.name()), Set.of(),
                asked.plusSeconds(3));
        assertThat(up.stops()).extracting(s -> s.container().name()).containsExactly(web1.name());
        assertThat(routable(up)).containsExactlyInAnyOrder(fresh1.name(), web2.name());
        assertThat(up.starts()).extracting(DynoPlanner.Start::name).containsExactly("slipway-p-shop-web-2-v1-g1");
        assertThat(up.events()).extracting(DynoPlanner.Event::text).noneMatch(t -> t.contains("crashed"));

        var fresh2 = running("web", 2, 1, 1, asked.plusSeconds(4));
        var done = planner.plan(d, List.of(fresh1, web2, fresh2), up.rows(), Set.of(fresh2.name()), Set.of(),
                asked.plusSeconds(5));
        assertThat(done.stops()).extracting(s -> s.container().name()).containsExactly(web2.name());
        var after = planner.plan(d, List.of(fresh1, fresh2), done.rows(), Set.of(), Set.of(), asked.plusSeconds(6));
        assertThat(after.starts()).as("the fresh dynos started after the request: nothing more to do").isEmpty();
        assertThat(after.stops()).isEmpty();
        assertThat(routable(after)).containsExactlyInAnyOrder(fresh1.name(), fresh2.name());
    }

    @Test
    void aFreshWebDynoThatNeverComesUpLeavesTheOldOneServing() {
        var asked = T0.plusSeconds(100);
        var d = restarting(desired(release(1, ReleaseState.LIVE, Map.of("web", "serve")), null, Map.of()), "web.1", asked);
        var web1 = running("web", 1, 1, T0);
        var settled = planner.plan(withoutRestarts(d), List.of(web1), Map.of(), Set.of(web1.name()), Set.of(),
                T0.plusSeconds(1)).rows();
        var fresh = exited("web", 1, 1, 1, 3, asked.plusSeconds(1), asked.plusSeconds(2));

        var plan = planner.plan(d, List.of(web1, fresh), settled, Set.of(), Set.of(), asked.plusSeconds(2));

        assertThat(plan.stops()).isEmpty();
        assertThat(routable(plan)).containsExactly(web1.name());
        assertThat(plan.restarts()).extracting(DynoRuntime.Container::name).containsExactly(fresh.name());
    }

    @Test
    void aRequestedRestartOfAWorkerStopsItFirstAndStartsItAfreshOnceItIsGone() {
        var asked = T0.plusSeconds(100);
        var d = restarting(desired(release(1, ReleaseState.LIVE, Map.of("web", "serve", "worker", "work")), null,
                Map.of("web", 1, "worker", 1)), "worker", asked);
        var web = running("web", 1, 1, T0);
        var worker = running("worker", 1, 1, T0);
        var settled = planner.plan(withoutRestarts(d), List.of(web, worker), Map.of(), Set.of(web.name()), Set.of(),
                T0.plusSeconds(1)).rows();

        var stop = planner.plan(d, List.of(web, worker), settled, Set.of(), Set.of(), asked);
        assertThat(stop.stops()).extracting(s -> s.container().name()).containsExactly(worker.name());
        assertThat(stop.starts()).isEmpty();

        var draining = planner.plan(d, List.of(web, worker), stop.rows(), Set.of(), Set.of(worker.id()), asked.plusSeconds(1));
        assertThat(draining.starts()).as("no second copy while the old one drains").isEmpty();

        var gone = planner.plan(d, List.of(web), draining.rows(), Set.of(), Set.of(), asked.plusSeconds(4));
        assertThat(gone.starts()).extracting(DynoPlanner.Start::name).containsExactly("slipway-p-shop-worker-1-v1");
        assertThat(gone.stops()).as("web was not asked for").isEmpty();
    }

    @Test
    void aRestartAskedForWhileAReleaseBootsIsDoneByTheRolloutItself() {
        var d = restarting(desired(release(2, ReleaseState.BOOTING, Map.of("web", "serve")),
                release(1, ReleaseState.LIVE, Map.of("web", "serve")), Map.of()), "", T0.plusSeconds(5));
        var old = running("web", 1, 1, T0);
        var fresh = running("web", 1, 2, T0.plusSeconds(1));

        var plan = planner.plan(d, List.of(old, fresh), Map.of(), Set.of(old.name()), Set.of(), T0.plusSeconds(6));

        assertThat(plan.starts()).isEmpty();
        assertThat(plan.stops()).isEmpty();
    }

    private static DynoStore.Desired withoutRestarts(DynoStore.Desired d) {
        return new DynoStore.Desired(d.appId(), d.app(), d.target(), d.live(), d.formation(), d.sizes(), Map.of());
    }

    private static DynoStore.Desired restarting(DynoStore.Desired d, String selector, Instant at) {
        return new DynoStore.Desired(d.appId(), d.app(), d.target(), d.live(), d.formation(), d.sizes(), Map.of(selector, at));
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        var s = new java.util.HashSet<>(a);
        s.addAll(b);
        return s;
    }

    private static List<String> routable(DynoPlanner.Plan plan) {
        return plan.rows().values().stream().filter(DynoStore.Row::routable).map(DynoStore.Row::containerName).toList();
    }

    private static Map<String, DynoStore.Row> rowsOf(DynoPlanner.Plan plan) {
        return new HashMap<>(plan.rows());
    }

    private DynoStore.Desired desired(DynoStore.ReleaseRef target, DynoStore.ReleaseRef live, Map<String, Integer> formation) {
        return new DynoStore.Desired(appId, "shop", target, live, formation, Map.of(), Map.of());
    }

    private static DynoStore.ReleaseRef release(int version, ReleaseState state, Map<String, String> types) {
        return new DynoStore.ReleaseRef(version, "img:" + version, "abc", Map.of(), types, state, T0);
    }

    private static DynoRuntime.Container running(String type, int index, int release, Instant started) {
        return running(type, index, release, 0, started);
    }

    private static DynoRuntime.Container running(String type, int index, int release, int generation, Instant started) {
        String name = name(type, index, release, generation);
        return new DynoRuntime.Container("id-" + name, name, labels(type, index, release, generation), true, null,
                type.equals("web") ? 40000 + release * 100 + generation * 10 + index : null, started, null);
    }

    private static DynoRuntime.Container exited(String type, int index, int release, int code, Instant started,
                                                Instant finished) {
        return exited(type, index, release, 0, code, started, finished);
    }

    private static DynoRuntime.Container exited(String type, int index, int release, int generation, int code,
                                                Instant started, Instant finished) {
        String name = name(type, index, release, generation);
        return new DynoRuntime.Container("id-" + name, name, labels(type, index, release, generation), false, code,
                type.equals("web") ? 40000 + release * 100 + generation * 10 + index : null, started, finished);
    }

    private static String name(String type, int index, int release, int generation) {
        return "slipway-p-shop-" + type + "-" + index + "-v" + release + (generation == 0 ? "" : "-g" + generation);
    }

    private static Map<String, String> labels(String type, int index, int release, int generation) {
        return Map.of(Labels.APP, "shop", Labels.TYPE, type, Labels.INDEX, Integer.toString(index),
                Labels.RELEASE, Integer.toString(release), Labels.GENERATION, Integer.toString(generation));
    }
}
