package io.slipway.controller.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.LocalNodeState;
import com.github.dockerjava.api.model.SwarmInfo;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** Which engines Swarm mode accepts: a manager only; every other state says what to run. */
class ManagerCheckTest {
    private static final String HOST = "unix:///var/run/docker.sock";

    @Test
    void aManagerIsAccepted() {
        assertThat(ManagerCheck.refusal(swarm(LocalNodeState.ACTIVE, true), HOST)).isEmpty();
    }

    @Test
    void anEngineOutsideAnySwarmIsToldToInitOne() {
        assertThat(ManagerCheck.refusal(swarm(LocalNodeState.INACTIVE, false), HOST)).get().asString()
                .contains(HOST + " is not in a Swarm: run `docker swarm init` on this machine")
                .contains("point DOCKER_HOST at a manager's engine");
        assertThat(ManagerCheck.refusal(null, HOST)).get().asString().contains("docker swarm init");
    }

    @Test
    void aWorkerIsToldToPointAtAManagerOrBePromoted() {
        assertThat(ManagerCheck.refusal(swarm(LocalNodeState.ACTIVE, false), HOST)).get().asString()
                .contains("is a worker, not a manager").contains("docker node promote");
    }

    @Test
    void aLockedOrJoiningEngineIsToldWhatToDo() {
        assertThat(ManagerCheck.refusal(swarm(LocalNodeState.LOCKED, false), HOST)).get().asString()
                .contains("docker swarm unlock");
        assertThat(ManagerCheck.refusal(swarm(LocalNodeState.PENDING, false), HOST)).get().asString()
                .contains("still joining");
    }

    /** As the engine's {@code GET /info} says it, read the way docker-java reads it. */
    private static SwarmInfo swarm(LocalNodeState state, boolean manager) {
        try {
            return new ObjectMapper().readValue("{\"LocalNodeState\":\"" + state.getValue() + "\",\"ControlAvailable\":"
                    + manager + "}", SwarmInfo.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
