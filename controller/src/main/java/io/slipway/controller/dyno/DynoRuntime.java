package io.slipway.controller.dyno;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Where dynos run: the narrow seam between the dyno manager and the container engine. Docker
 * implements it for real; tests of the manager's decisions use an in-memory one.
 */
public interface DynoRuntime {

    /** Everything needed to start one dyno. */
    record Spec(String name, String image, String command, Map<String, String> env, Map<String, String> labels,
                boolean web, int port, long memoryBytes, long pidsLimit) {}

    /** A dyno container as the engine reports it; {@code hostPort} is its port published on 127.0.0.1. */
    record Container(String id, String name, Map<String, String> labels, boolean running, Integer exitCode,
                     Integer hostPort, Instant startedAt, Instant finishedAt) {}

    /** Creates and starts a dyno; returns once the engine says it runs. */
    Container start(Spec spec);

    /** Every dyno container of this platform, running or not. */
    List<Container> list();

    /** Starts an exited dyno's container again. */
    void restart(String id);

    /** SIGTERM, then SIGKILL after {@code grace}; then the container is removed. */
    void stopAndRemove(String id, Duration grace);

    /** The last {@code n} lines a dyno wrote (stdout and stderr), oldest first: why it failed, in its own words. */
    List<String> lastLines(String id, int n);

    /** True when something accepts a connection on 127.0.0.1:port and keeps it open (a bound app, not just a proxy). */
    boolean accepts(int hostPort);
}
