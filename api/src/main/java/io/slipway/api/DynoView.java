package io.slipway.api;

import java.time.Instant;

/**
 * A dyno as {@code slipway ps} shows it: {@code web.1}, its release, and its state
 * ({@code starting}, {@code up}, {@code crashed}, {@code restarting}, {@code stopping}); {@code restartAt}
 * says when a crashed dyno will be tried again. {@code size} is its formation's ({@code standard});
 * {@code createdAt} and {@code updatedAt} are Heroku's names for when it started, which {@code heroku ps}
 * reads to say how long it has been up. On Docker Swarm, {@code node} is the node it runs on and
 * {@code host} the address routers reach it at; both are null on the single engine.
 */
public record DynoView(String name, String type, String state, String release, String command,
                       Instant startedAt, int restarts, Instant restartAt, String size, Instant createdAt,
                       Instant updatedAt, String node, String host) {
    public DynoView(String name, String type, String state, String release, String command, Instant startedAt,
                    int restarts, Instant restartAt, String size, String node, String host) {
        this(name, type, state, release, command, startedAt, restarts, restartAt, size, startedAt, startedAt, node, host);
    }

    public DynoView(String name, String type, String state, String release, String command, Instant startedAt,
                    int restarts, Instant restartAt, String size) {
        this(name, type, state, release, command, startedAt, restarts, restartAt, size, null, null);
    }
}
