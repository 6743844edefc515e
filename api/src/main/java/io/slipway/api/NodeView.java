package io.slipway.api;

/**
 * A machine the platform runs dynos on: a Swarm node, or in docker mode the one local engine.
 * {@code state} is {@code ready} or {@code down} (as Swarm says: also {@code unknown},
 * {@code disconnected}); {@code availability} {@code active}, {@code pause} or {@code drain};
 * {@code role} {@code manager} or {@code worker} ({@code local} in docker mode), {@code leader}
 * for the manager that leads the Swarm; {@code dynos} how many of this platform's dynos run there.
 */
public record NodeView(String id, String hostname, String state, String availability, String role, boolean leader,
                       String engineVersion, double cpus, long memoryBytes, int dynos) {}
