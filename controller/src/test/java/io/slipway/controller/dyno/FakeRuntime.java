package io.slipway.controller.dyno;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** An in-memory engine for the manager's decisions: containers that run, crash and bind on command. */
final class FakeRuntime implements DynoRuntime {
    private final Clock clock;
    private final Map<String, Container> containers = new LinkedHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    final List<String> starts = new ArrayList<>();
    final List<String> restarts = new ArrayList<>();
    boolean bindsPort = true;
    List<String> lastLines = List.of();

    FakeRuntime(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized Container start(Spec spec) {
        int n = ids.incrementAndGet();
        Container c = new Container("c" + n, spec.name(), spec.labels(), true, null, spec.web() ? 40000 + n : null,
                clock.instant(), null);
        containers.put(c.id(), c);
        starts.add(spec.name());
        return c;
    }

    @Override
    public synchronized List<Container> list() {
        return List.copyOf(containers.values());
    }

    @Override
    public synchronized void restart(String id) {
        Container c = containers.get(id);
        containers.put(id, new Container(id, c.name(), c.labels(), true, null, c.hostPort(), clock.instant(), null));
        restarts.add(c.name());
    }

    @Override
    public synchronized void stopAndRemove(String id, Duration grace) {
        containers.remove(id);
    }

    @Override
    public List<String> lastLines(String id, int n) {
        return lastLines;
    }

    @Override
    public synchronized boolean accepts(int hostPort) {
        return bindsPort && containers.values().stream().anyMatch(c -> c.running() && Integer.valueOf(hostPort).equals(c.hostPort()));
    }

    synchronized void crash(String namePart, int exitCode) {
        containers.replaceAll((id, c) -> c.name().contains(namePart)
                ? new Container(id, c.name(), c.labels(), false, exitCode, c.hostPort(), c.startedAt(), clock.instant())
                : c);
    }

    synchronized long running(String namePart) {
        return containers.values().stream().filter(c -> c.running() && c.name().contains(namePart)).count();
    }
}
