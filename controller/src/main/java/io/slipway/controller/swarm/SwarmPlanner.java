package io.slipway.controller.swarm;

import io.slipway.controller.dyno.DynoPlanner;
import io.slipway.controller.dyno.DynoState;
import io.slipway.controller.dyno.DynoStore;
import io.slipway.controller.release.ReleaseState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Swarm scheduler's deciding half, a pure function like {@link DynoPlanner}: from what one app
 * wants and the services and tasks the Swarm manager reports, it computes which services to create,
 * scale, restart and remove, the dyno rows, and whether the target release goes live or fails.
 *
 * <p>Each (app, process type, release) is one replicated service whose replicas are the formation's
 * quantity; a task's slot is the dyno's index ({@code web.3} is slot 3). Swarm places tasks and
 * restarts the ones that exit. A web service carries a health check that connects to {@code $PORT}
 * inside the task, and Swarm keeps such a task {@code starting} until it passes: so a task that runs
 * accepts connections, and a deploy goes live only when every task of the new release runs. Until
 * then the live release's services keep serving; after, they are removed.
 */
public final class SwarmPlanner {
    private final Duration bootTimeout;
    private final Duration settle;

    public SwarmPlanner(Duration bootTimeout, Duration settle) {
        this.bootTimeout = bootTimeout;
        this.settle = settle;
    }

    /** A service of this platform as the manager reports it. {@code restartedAt}: the last restart asked of it. */
    public record Service(String id, long version, String name, String type, int release, int replicas,
                          Instant createdAt, Instant restartedAt) {}

    /** Where a task stands, from Swarm's many task states. */
    public enum Phase { STARTING, RUNNING, EXITED, REJECTED }

    /**
     * A task of a service. {@code wanted}: Swarm means it to run (its desired state), false for one it
     * replaced or is shutting down. {@code host} and {@code port}: where a router reaches a web task,
     * its node's address and the port the node publishes for it; null until Swarm has placed and started it.
     */
    public record Task(String id, String serviceId, int slot, String node, Phase phase, boolean wanted, String host,
                       Integer port, Instant since, Integer exitCode, String error) {}

    /** A service to create for the target release. */
    public record Create(String type, int release, int replicas) {}

    /** A service to scale. */
    public record Scale(Service service, int replicas) {}

    /** A service to remove, and why (for the app's log). */
    public record Remove(Service service, String why) {}

    /** A rolling restart of a service (start-first, one task at a time), asked at {@code asked}. */
    public record Restart(Service service, Instant asked) {}

    /** Everything one pass does for one app. */
    public record Plan(List<Create> creates, List<Scale> scales, List<Restart> restarts, List<Remove> removes,
                       Map<String, DynoStore.Row> rows, DynoPlanner.Outcome outcome, List<DynoPlanner.Event> events) {}

    public Plan plan(DynoStore.Desired d, List<Service> services, List<Task> tasks, Map<String, DynoStore.Row> before,
                     Instant now) {
        DynoStore.ReleaseRef target = d.target();
        DynoStore.ReleaseRef live = d.live();
        boolean booting = target.state() == ReleaseState.BOOTING;
        Map<String, Integer> wanted = new LinkedHashMap<>();
        DynoPlanner.quantities(d.formation(), target.processTypes()).forEach((type, qty) -> {
            if (qty > 0) {
                wanted.put(type, qty);
            }
        });
        List<Create> creates = new ArrayList<>();
        List<Scale> scales = new ArrayList<>();
        List<Restart> restarts = new ArrayList<>();
        List<Remove> removes = new ArrayList<>();
        List<DynoPlanner.Event> events = new ArrayList<>();
        Map<String, Service> kept = new HashMap<>();
        Map<String, Service> ofTarget = new HashMap<>();

        for (Service s : services) {
            boolean isTarget = s.release() == target.version();
            if (isTarget && wanted.containsKey(s.type())) {
                ofTarget.put(s.type(), s);
                kept.put(s.id(), s);
                int qty = wanted.get(s.type());
                if (s.replicas() != qty) {
                    scales.add(new Scale(s, qty));
                }
                Instant asked = booting ? null : d.restartRequestedFor(s.type(), 0);
                for (int i = 1; i <= qty && !booting; i++) {
                    Instant one = d.restartRequestedFor(s.type(), i);
                    asked = one != null && (asked == null || one.isAfter(asked)) ? one : asked;
                }
                if (asked != null && asked.isAfter(s.createdAt())
                        && (s.restartedAt() == null || asked.isAfter(s.restartedAt()))) {
                    restarts.add(new Restart(s, asked));
                }
            } else if (booting && live != null && s.release() == live.version()) {
                kept.put(s.id(), s); // the live release serves until the target is up
            } else {
                removes.add(new Remove(s, s.release() != target.version()
                        ? "v" + target.version() + " replaces v" + s.release() : "scaled to 0"));
            }
        }
        wanted.forEach((type, qty) -> {
            if (!ofTarget.containsKey(type)) {
                creates.add(new Create(type, target.version(), qty));
            }
        });

        // The dyno of each slot is its newest task Swarm wants running; without one, its newest task.
        Map<String, Task> bySlot = new LinkedHashMap<>();
        List<Task> sorted = new ArrayList<>(tasks);
        sorted.sort(Comparator.comparing(Task::since, Comparator.nullsFirst(Comparator.naturalOrder())));
        for (Task t : sorted) {
            Service s = kept.get(t.serviceId());
            if (s == null || t.slot() > replicasAfter(s, scales)) {
                continue;
            }
            String key = s.id() + "/" + t.slot();
            Task current = bySlot.get(key);
            if (current == null || t.wanted() || !current.wanted()) {
                bySlot.put(key, t);
            }
        }

        Map<String, DynoStore.Row> after = new LinkedHashMap<>();
        DynoPlanner.Outcome.Failed failed = null;
        for (Task t : bySlot.values()) {
            Service s = kept.get(t.serviceId());
            String name = s.name() + "." + t.slot();
            String dyno = s.type() + "." + t.slot();
            DynoStore.Row old = before.get(name);
            DynoState state = switch (t.phase()) {
                case RUNNING -> DynoState.UP;
                case STARTING -> DynoState.STARTING;
                case EXITED, REJECTED -> DynoState.CRASHED;
            };
            Instant startedAt = t.since() != null ? t.since() : now;
            if (old != null && old.containerId().equals(t.id()) && old.startedAt() != null && state != DynoState.CRASHED) {
                startedAt = old.startedAt(); // a task's timestamp moves with each state; its start does not
            }
            boolean isTarget = s.release() == target.version();
            if (booting && isTarget && failed == null) {
                if (state == DynoState.CRASHED) {
                    failed = new DynoPlanner.Outcome.Failed(target.version(), dyno, t.id(), t.exitCode(),
                            t.phase() == Phase.REJECTED
                                    ? dyno + " could not start on " + nodeName(t) + ": " + t.error()
                                    : dyno + " exited with code " + t.exitCode() + " while v" + target.version() + " was booting");
                } else if (state == DynoState.STARTING && s.type().equals("web")
                        && Duration.between(s.createdAt(), now).compareTo(bootTimeout) > 0) {
                    failed = new DynoPlanner.Outcome.Failed(target.version(), dyno, t.id(), null,
                            dyno + " did not accept connections on $PORT within " + bootTimeout.toSeconds() + " s");
                }
            }
            if (old == null || old.state() != state || !t.id().equals(old.containerId())) {
                events.addAll(changes(dyno, old, t, state));
            }
            int restartCount = old == null ? 0 : old.restarts() + (old.containerId().equals(t.id()) ? 0 : 1);
            boolean web = s.type().equals("web");
            after.put(name, new DynoStore.Row(name, s.type(), t.slot(), s.release(), t.id(), web ? t.port() : null, state,
                    false, restartCount, null, startedAt, t.node(), web ? t.host() : null));
        }

        DynoPlanner.Outcome outcome = new DynoPlanner.Outcome.Pending();
        int routed = live == null ? -1 : live.version();
        if (target.state() == ReleaseState.LIVE) {
            routed = target.version();
        } else if (failed != null) {
            outcome = failed;
        } else if (booting && creates.isEmpty() && scales.isEmpty() && allUp(wanted, ofTarget, after, now)) {
            outcome = new DynoPlanner.Outcome.Live(target.version());
            routed = target.version();
        }
        int routedVersion = routed;
        after.replaceAll((name, r) -> r.withRoutable(r.type().equals("web") && r.state() == DynoState.UP
                && r.release() == routedVersion && r.host() != null && r.port() != null));
        return new Plan(creates, scales, restarts, removes, after, outcome, events);
    }

    private static int replicasAfter(Service s, List<Scale> scales) {
        return scales.stream().filter(x -> x.service().id().equals(s.id())).mapToInt(Scale::replicas).findFirst()
                .orElse(s.replicas());
    }

    /** Every wanted slot of the target has a task that runs; a worker's, for long enough that it did not just fail. */
    private boolean allUp(Map<String, Integer> wanted, Map<String, Service> ofTarget, Map<String, DynoStore.Row> rows,
                          Instant now) {
        for (var e : wanted.entrySet()) {
            Service s = ofTarget.get(e.getKey());
            for (int slot = 1; slot <= e.getValue(); slot++) {
                DynoStore.Row r = rows.get(s.name() + "." + slot);
                if (r == null || r.state() != DynoState.UP) {
                    return false;
                }
                if (!r.type().equals("web") && Duration.between(r.startedAt(), now).compareTo(settle) < 0) {
                    return false;
                }
            }
        }
        return true;
    }

    private static List<DynoPlanner.Event> changes(String dyno, DynoStore.Row old, Task t, DynoState state) {
        String from = old == null || !t.id().equals(old.containerId()) ? "starting" : old.state().value();
        List<DynoPlanner.Event> out = new ArrayList<>();
        if (old == null || !t.id().equals(old.containerId())) {
            out.add(new DynoPlanner.Event(dyno, "Starting on " + nodeName(t)));
        }
        if (state == DynoState.CRASHED) {
            out.add(new DynoPlanner.Event(dyno, t.phase() == Phase.REJECTED
                    ? "Could not start on " + nodeName(t) + ": " + t.error()
                    : "Process exited with status " + t.exitCode()));
        }
        if (state != DynoState.STARTING && !from.equals(state.value())) {
            out.add(new DynoPlanner.Event(dyno, "State changed from " + from + " to " + state.value()));
        }
        return out;
    }

    private static String nodeName(Task t) {
        return t.node() == null ? "a node not chosen yet" : t.node();
    }
}
