package io.slipway.controller.dyno;

import io.slipway.controller.docker.Labels;
import io.slipway.controller.release.ReleaseState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The dyno manager's deciding half, a pure function: from what one app wants (its target and
 * live releases, its formation), the containers the engine reports, the dyno rows of the last
 * pass, which new web dynos accept connections, and the time, it computes a {@link Plan}: what
 * to start, restart and stop, the rows to keep, and whether the target release goes live or
 * fails. It touches nothing; {@link DynoManager} observes before and carries the plan out after.
 *
 * <p>While a release boots, its dynos get no second chance: one that exits, or a web dyno that
 * does not accept connections within the boot timeout, fails the release at once with that
 * dyno's story, and the live release (if any) keeps serving. Once a release is live, a dyno that
 * exits is a crash: restarted at once, then with doubling backoff.
 */
public final class DynoPlanner {
    /** The port every web dyno's app binds inside its container ({@code $PORT}). */
    public static final int DYNO_PORT = 5000;
    private static final Duration RESET_RESTARTS_AFTER = Duration.ofMinutes(10);

    private final String platform;
    private final Duration bootTimeout;
    private final Duration settle;
    private final Backoff backoff;

    /**
     * @param settle how long a dyno that binds no port (a worker) must keep running before its
     *               release counts as booted: a command that is not found exits within it
     */
    DynoPlanner(String platform, Duration bootTimeout, Duration settle, Backoff backoff) {
        this.platform = platform;
        this.bootTimeout = bootTimeout;
        this.settle = settle;
        this.backoff = backoff;
    }

    /** A dyno's identity: process type, index, release. */
    record DynoKey(String type, int index, int release) {
        String dynoName() {
            return type + "." + index;
        }

        boolean web() {
            return type.equals("web");
        }

        static DynoKey of(Map<String, String> labels) {
            try {
                return new DynoKey(Objects.requireNonNull(labels.get(Labels.TYPE)),
                        Integer.parseInt(labels.get(Labels.INDEX)), Integer.parseInt(labels.get(Labels.RELEASE)));
            } catch (RuntimeException e) {
                return null;
            }
        }
    }

    /** One dyno to start: its identity, which container of it this is, and the container's name. */
    record Start(DynoKey key, int generation, String name) {}

    /** One container to stop and remove, and why (for the app's log). */
    record Stop(DynoRuntime.Container container, String why) {}

    /** What becomes of the target release in this pass. */
    public sealed interface Outcome {
        /** Nothing to say yet (or the target is already live). */
        record Pending() implements Outcome {}

        /** Every dyno it wants is up: routes switch to it. */
        record Live(int version) implements Outcome {}

        /**
         * A dyno of it gave up while it booted. {@code containerId} is where its last lines are,
         * {@code exitCode} null when it did not exit (it never bound its port).
         */
        record Failed(int version, String dyno, String containerId, Integer exitCode, String reason) implements Outcome {}
    }

    /** A line for the app's log stream, from the platform about one dyno ({@code api} for the app as a whole). */
    public record Event(String dyno, String text) {}

    /** Everything one pass does for one app. */
    record Plan(List<Start> starts, List<DynoRuntime.Container> restarts, List<Stop> stops,
                Map<String, DynoStore.Row> rows, Outcome outcome, List<Event> events) {}

    /** Whether the pass must ask this container's port if it accepts (a running web dyno not yet known up). */
    static boolean needsProbe(DynoRuntime.Container c, DynoStore.Row old) {
        DynoKey key = DynoKey.of(c.labels());
        return key != null && key.web() && c.running() && c.hostPort() != null && !wasUp(c, old);
    }

    private static boolean wasUp(DynoRuntime.Container c, DynoStore.Row old) {
        return old != null && old.state() == DynoState.UP && c.id().equals(old.containerId())
                && Objects.equals(old.port(), c.hostPort());
    }

    /**
     * @param accepting names of the containers whose port accepted a connection in this pass
     * @param stopping  ids of containers already being stopped (they get no row and no second stop)
     */
    Plan plan(DynoStore.Desired d, List<DynoRuntime.Container> containers, Map<String, DynoStore.Row> before,
              Set<String> accepting, Set<String> stopping, Instant now) {
        DynoStore.ReleaseRef target = d.target();
        DynoStore.ReleaseRef live = d.live();
        boolean booting = target.state() == ReleaseState.BOOTING;
        List<Event> events = new ArrayList<>();
        Map<String, DynoStore.Row> after = new LinkedHashMap<>();
        List<DynoRuntime.Container> restarts = new ArrayList<>();
        List<Stop> stops = new ArrayList<>();

        Set<DynoKey> wanted = new LinkedHashSet<>();
        quantities(d.formation(), target.processTypes()).forEach((type, qty) -> {
            for (int i = 1; i <= qty; i++) {
                wanted.add(new DynoKey(type, i, target.version()));
            }
        });
        // Each wanted dyno's containers, oldest generation first: the newest is the dyno, an older one
        // is what a requested restart is replacing. Draining ones only block a name and a worker's start.
        Map<DynoKey, List<DynoRuntime.Container>> generations = new HashMap<>();
        Map<DynoKey, Integer> lastGeneration = new HashMap<>();
        Set<DynoKey> draining = new HashSet<>();
        for (DynoRuntime.Container c : containers) {
            DynoKey key = DynoKey.of(c.labels());
            if (key == null) {
                continue;
            }
            lastGeneration.merge(key, generation(c), Math::max);
            if (stopping.contains(c.id())) {
                draining.add(key);
            } else if (wanted.contains(key)) {
                generations.computeIfAbsent(key, k -> new ArrayList<>()).add(c);
            }
        }
        generations.values().forEach(list -> list.sort(Comparator.comparingInt(DynoPlanner::generation)));

        Outcome.Failed failed = null;
        for (DynoRuntime.Container c : containers) {
            DynoKey key = DynoKey.of(c.labels());
            if (key == null || stopping.contains(c.id())) {
                continue;
            }
            DynoStore.Row old = before.get(c.name());
            boolean ofTarget = wanted.contains(key);
            if (ofTarget && booting && !c.running()) {
                if (failed == null) {
                    failed = new Outcome.Failed(target.version(), key.dynoName(), c.id(), c.exitCode(),
                            key.dynoName() + " exited with code " + c.exitCode() + " while v" + target.version() + " was booting");
                }
                events.add(new Event(key.dynoName(), "Process exited with status " + c.exitCode()));
                events.add(new Event(key.dynoName(), "State changed from " + stateName(old) + " to crashed"));
                after.put(c.name(), row(c, key, DynoState.CRASHED, old == null ? 0 : old.restarts(), null, startedAt(c, now)));
            } else if (ofTarget || booting && live != null && key.release() == live.version()) {
                // The live release keeps serving, crash restarts and all, until the target is up.
                DynoStore.Row row = observe(c, key, old, accepting.contains(c.name()), now, restarts, events);
                if (ofTarget && booting && failed == null && row.state() == DynoState.STARTING && key.web()
                        && Duration.between(row.startedAt(), now).compareTo(bootTimeout) > 0) {
                    failed = new Outcome.Failed(target.version(), key.dynoName(), c.id(), null, key.dynoName()
                            + " did not accept connections on $PORT within " + bootTimeout.toSeconds() + " s");
                }
                after.put(c.name(), row);
            } else {
                stops.add(new Stop(c, key.release() != target.version()
                        ? "v" + target.version() + " replaces v" + key.release() : "scaled down"));
            }
        }

        List<Start> starts = new ArrayList<>();
        if (failed == null) {
            for (DynoKey key : wanted) {
                if (!generations.containsKey(key) && (key.web() || !draining.contains(key))) {
                    starts.add(start(d.app(), key, lastGeneration));
                }
            }
            if (!booting) {
                restartOnRequest(d, generations, after, lastGeneration, now, starts, stops, events);
            }
        }

        Outcome outcome = new Outcome.Pending();
        int routed = live == null ? -1 : live.version();
        if (target.state() == ReleaseState.LIVE) {
            routed = target.version();
        } else if (failed != null) {
            outcome = failed;
        } else if (booting && starts.isEmpty() && wanted.stream().allMatch(k -> generations.containsKey(k)
                && booted(after.get(generations.get(k).getLast().name()), now))) {
            outcome = new Outcome.Live(target.version());
            routed = target.version();
        }
        int routedVersion = routed;
        after.replaceAll((name, r) -> r.withRoutable(r.type().equals("web") && r.state() == DynoState.UP
                && r.release() == routedVersion && r.port() != null));
        return new Plan(starts, restarts, stops, after, outcome, events);
    }

    /**
     * A requested restart ({@code ps:restart}, {@code ps:stop}) of a live release, as a rolling
     * replacement: a web dyno started before the request gets a fresh container of the next
     * generation, and only once that one is up does the old one stop, one web dyno at a time, so
     * the app never has fewer web dynos serving than its formation asks. A worker has no traffic
     * to hand over: it stops first, and its fresh container starts once the old one is gone (two
     * copies of a clock process must not overlap).
     */
    private void restartOnRequest(DynoStore.Desired d, Map<DynoKey, List<DynoRuntime.Container>> generations,
                                  Map<String, DynoStore.Row> after, Map<DynoKey, Integer> lastGeneration, Instant now,
                                  List<Start> starts, List<Stop> stops, List<Event> events) {
        boolean webInFlight = false;
        for (var e : generations.entrySet()) {
            List<DynoRuntime.Container> gens = e.getValue();
            DynoStore.Row newest = after.get(gens.getLast().name());
            if (gens.size() < 2) {
                continue;
            }
            if (newest != null && newest.state() == DynoState.UP) {
                for (DynoRuntime.Container replaced : gens.subList(0, gens.size() - 1)) {
                    after.remove(replaced.name());
                    stops.add(new Stop(replaced, "restarted on request: a fresh " + e.getKey().dynoName() + " is up"));
                }
            } else if (e.getKey().web()) {
                webInFlight = true; // its fresh dyno is still starting: the next one waits
            }
        }
        List<DynoKey> keys = new ArrayList<>(generations.keySet());
        keys.sort(Comparator.comparing(DynoKey::type).thenComparingInt(DynoKey::index));
        for (DynoKey key : keys) {
            List<DynoRuntime.Container> gens = generations.get(key);
            DynoRuntime.Container newest = gens.getLast();
            Instant asked = d.restartRequestedFor(key.type(), key.index());
            if (gens.size() > 1 || asked == null || !startedAt(newest, now).isBefore(asked)) {
                continue;
            }
            if (!key.web()) {
                after.remove(newest.name());
                stops.add(new Stop(newest, "restarting on request"));
            } else if (!webInFlight) {
                webInFlight = true;
                starts.add(start(d.app(), key, lastGeneration));
                events.add(new Event(key.dynoName(), "Restarting on request: a fresh " + key.dynoName()
                        + " takes traffic before this one stops"));
            }
        }
    }

    private Start start(String app, DynoKey key, Map<DynoKey, Integer> lastGeneration) {
        int generation = lastGeneration.containsKey(key) ? lastGeneration.get(key) + 1 : 0;
        return new Start(key, generation, containerName(app, key, generation));
    }

    /** Which container of a dyno this is: 0 for the first, one more for each requested restart. */
    static int generation(DynoRuntime.Container c) {
        try {
            return Integer.parseInt(c.labels().getOrDefault(Labels.GENERATION, "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Up, and for a dyno that binds no port, running for long enough that it did not just fail to start. */
    private boolean booted(DynoStore.Row row, Instant now) {
        if (row == null || row.state() != DynoState.UP) {
            return false;
        }
        return row.type().equals("web") || Duration.between(row.startedAt(), now).compareTo(settle) >= 0;
    }

    /** A running or exited container of a dyno that may live: its state, and a restart when one is due. */
    private DynoStore.Row observe(DynoRuntime.Container c, DynoKey key, DynoStore.Row old, boolean accepts,
                                  Instant now, List<DynoRuntime.Container> restarts, List<Event> events) {
        int restartCount = old == null ? 0 : old.restarts();
        Instant startedAt = startedAt(c, now);
        if (c.running()) {
            boolean up = wasUp(c, old) || !key.web() || accepts;
            if (up && !wasUp(c, old)) {
                events.add(new Event(key.dynoName(), "State changed from " + stateName(old) + " to up"));
            }
            if (up && restartCount > 0 && Duration.between(startedAt, now).compareTo(RESET_RESTARTS_AFTER) > 0) {
                restartCount = 0;
            }
            return row(c, key, up ? DynoState.UP : DynoState.STARTING, restartCount, null, startedAt);
        }
        // Exited: a crash. Restarted at once the first time, then with doubling backoff.
        boolean waiting = old != null && old.state() == DynoState.RESTARTING && old.restartAt() != null;
        Instant due = waiting ? old.restartAt()
                : (c.finishedAt() != null ? c.finishedAt() : now).plus(backoff.delayAfter(restartCount));
        if (!waiting) {
            events.add(new Event(key.dynoName(), "Process exited with status " + c.exitCode()));
            events.add(new Event(key.dynoName(), "State changed from " + stateName(old) + " to crashed"));
        }
        if (!now.isBefore(due)) {
            restarts.add(c);
            return row(c, key, DynoState.STARTING, restartCount + 1, null, now);
        }
        return row(c, key, DynoState.RESTARTING, restartCount, due, startedAt);
    }

    private static String stateName(DynoStore.Row old) {
        return old == null ? "starting" : old.state().value();
    }

    private static Instant startedAt(DynoRuntime.Container c, Instant now) {
        return c.startedAt() != null ? c.startedAt() : now;
    }

    private static DynoStore.Row row(DynoRuntime.Container c, DynoKey key, DynoState state, int restarts,
                                     Instant restartAt, Instant startedAt) {
        return new DynoStore.Row(c.name(), key.type(), key.index(), key.release(), c.id(), c.hostPort(), state, false,
                restarts, restartAt, startedAt);
    }

    /** The release's process types with their quantities; web defaults to 1, others to 0, as on Heroku. */
    public static Map<String, Integer> quantities(Map<String, Integer> formation, Map<String, String> processTypes) {
        Map<String, Integer> q = new LinkedHashMap<>();
        for (String type : processTypes.keySet()) {
            if (type.equals("release")) {
                continue; // the release phase runs once per release, not as a formation
            }
            q.put(type, formation.getOrDefault(type, type.equals("web") ? 1 : 0));
        }
        return q;
    }

    String containerName(String app, DynoKey key, int generation) {
        return "slipway-" + platform + "-" + app + "-" + key.type() + "-" + key.index() + "-v" + key.release()
                + (generation == 0 ? "" : "-g" + generation);
    }
}
