package io.slipway.controller.swarm;

import com.github.dockerjava.api.model.LocalNodeState;
import com.github.dockerjava.api.model.SwarmInfo;
import java.util.Optional;

/** Whether an engine can lead the platform in Swarm mode (it must be a manager), and if not, what to run. */
final class ManagerCheck {
    private ManagerCheck() {}

    /** Empty when the engine at {@code host} is a Swarm manager; otherwise why not and what to do. */
    static Optional<String> refusal(SwarmInfo swarm, String host) {
        String start = "SLIPWAY_SCHEDULER=swarm needs the controller's Docker engine to be a Swarm manager, but the engine at "
                + host;
        LocalNodeState state = swarm == null ? null : swarm.getLocalNodeState();
        if (state == null || state == LocalNodeState.INACTIVE || state == LocalNodeState.EMPTY) {
            return Optional.of(start + " is not in a Swarm: run `docker swarm init` on this machine to make it the first "
                    + "manager, or point DOCKER_HOST at a manager's engine (or set SLIPWAY_SCHEDULER=docker for one machine)");
        }
        return switch (state) {
            case PENDING -> Optional.of(start + " is still joining its Swarm: start the controller again once "
                    + "`docker info` says Swarm: active");
            case LOCKED -> Optional.of(start + " belongs to a locked Swarm: run `docker swarm unlock` on it first");
            case ERROR -> Optional.of(start + " reports a Swarm error (" + swarm.getError() + "): see `docker info`");
            default -> Boolean.TRUE.equals(swarm.getControlAvailable()) ? Optional.empty()
                    : Optional.of(start + " is a worker, not a manager: point DOCKER_HOST at a manager's engine "
                            + "(`docker node ls` on a manager lists them), or run `docker node promote "
                            + "<this node>` on a manager");
        };
    }
}
