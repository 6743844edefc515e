package io.slipway.controller.dyno;

import java.util.Map;
import java.util.Optional;

/**
 * Whether the machines can hold more dynos, asked before a scale is stored: in Swarm mode the nodes'
 * memory left over by what already runs there, so that `ps:scale web=50` is refused with what fits
 * instead of leaving tasks that no node takes. One engine has no such limit to state.
 */
public interface Capacity {
    Capacity UNLIMITED = more -> Optional.empty();

    /** Why {@code more} dynos (by size, beyond what runs) cannot be placed, or empty when they can. */
    Optional<String> cannotHold(Map<DynoSize, Integer> more);
}
