package io.slipway.controller.dyno;

import java.util.Arrays;

/**
 * What a formation dyno is doing, as {@code ps} shows it. The planner ({@link DynoPlanner}) is the
 * one place that decides a dyno's next state from its container:
 * <pre>
 *   starting ──► up ──(exits)──► restarting ──(backoff due)──► starting
 *       └──(exits while its release boots)──► crashed   (the release fails; the dyno goes)
 * </pre>
 */
public enum DynoState {
    /** Its container runs; a web dyno has yet to accept connections on its port. */
    STARTING("starting"),
    /** Running, and a web dyno accepts connections: the router may send it requests. */
    UP("up"),
    /** Exited and waiting out its backoff before the next start. */
    RESTARTING("restarting"),
    /** Exited while its release was booting: that release fails and this dyno is not restarted. */
    CRASHED("crashed");

    private final String value;

    DynoState(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    static DynoState of(String value) {
        return Arrays.stream(values()).filter(s -> s.value.equals(value)).findFirst()
                .orElseThrow(() -> new IllegalStateException("unknown dyno state '" + value + "' in the database"));
    }
}
