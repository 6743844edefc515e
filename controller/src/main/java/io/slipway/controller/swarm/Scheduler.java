package io.slipway.controller.swarm;

import java.util.Locale;

/**
 * Who places the platform's containers (SLIPWAY_SCHEDULER): the one local Docker engine, as always,
 * or Docker Swarm across several machines, with the controller talking to a Swarm manager.
 */
public enum Scheduler {
    DOCKER,
    SWARM;

    /** {@code docker} (also when unset) or {@code swarm}; anything else says what it may be. */
    public static Scheduler parse(String name, String raw) {
        if (raw == null || raw.isBlank()) {
            return DOCKER;
        }
        return switch (raw.trim().toLowerCase(Locale.ROOT)) {
            case "docker" -> DOCKER;
            case "swarm" -> SWARM;
            default -> throw new IllegalArgumentException(name + " must be docker (one Docker engine, the default) "
                    + "or swarm (Docker Swarm, with DOCKER_HOST a Swarm manager), got '" + raw + "'");
        };
    }

    /** As the setting spells it. */
    public String setting() {
        return name().toLowerCase(Locale.ROOT);
    }
}
