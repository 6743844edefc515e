package io.slipway.controller.swarm;

import com.github.dockerjava.api.model.SwarmNodeAvailability;
import com.github.dockerjava.api.model.TaskState;
import io.slipway.controller.docker.DockerEngine;
import io.slipway.controller.dyno.Capacity;
import io.slipway.controller.dyno.DynoSize;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Swarm's room for more dynos: each active, ready node's memory less the memory reserved by
 * the tasks Swarm means to run there (every service's, not only the platform's), the same
 * reservations Swarm itself places by. Dynos reserve their size's memory (see {@link SwarmServices}).
 */
public final class NodeCapacity implements Capacity {
    private final DockerEngine docker;

    public NodeCapacity(DockerEngine docker) {
        this.docker = docker;
    }

    /** One node's memory free for reservations. */
    record Room(String node, long freeBytes) {}

    @Override
    public Optional<String> cannotHold(Map<DynoSize, Integer> more) {
        if (more.values().stream().allMatch(n -> n <= 0)) {
            return Optional.empty();
        }
        return place(rooms(), more);
    }

    private List<Room> rooms() {
        Map<String, Long> reserved = new HashMap<>();
        for (var t : docker.client().listTasksCmd().exec()) {
            var resources = t.getSpec() == null ? null : t.getSpec().getResources();
            if (t.getDesiredState() == TaskState.RUNNING && t.getNodeId() != null && resources != null
                    && resources.getReservations() != null && resources.getReservations().getMemoryBytes() != null) {
                reserved.merge(t.getNodeId(), resources.getReservations().getMemoryBytes(), Long::sum);
            }
        }
        List<Room> rooms = new ArrayList<>();
        for (var n : docker.client().listSwarmNodesCmd().exec()) {
            boolean takesTasks = n.getSpec() != null && n.getSpec().getAvailability() == SwarmNodeAvailability.ACTIVE
                    && n.getStatus() != null && "ready".equalsIgnoreCase(String.valueOf(n.getStatus().getState()));
            var resources = n.getDescription() == null ? null : n.getDescription().getResources();
            if (takesTasks && resources != null && resources.getMemoryBytes() != null) {
                rooms.add(new Room(n.getDescription().getHostname(),
                        resources.getMemoryBytes() - reserved.getOrDefault(n.getId(), 0L)));
            }
        }
        return rooms;
    }

    /**
     * Places the dynos, largest first, each on the node with the most room (as Swarm spreads them),
     * and says what does not fit: how many of that size the nodes have room for.
     */
    static Optional<String> place(List<Room> rooms, Map<DynoSize, Integer> more) {
        long[] free = rooms.stream().mapToLong(Room::freeBytes).toArray();
        List<DynoSize> sizes = new ArrayList<>(more.keySet());
        sizes.sort(Comparator.comparingLong(DynoSize::memoryBytes).reversed());
        for (DynoSize size : sizes) {
            int wanted = more.get(size);
            long roomFor = 0;
            for (long f : free) {
                roomFor += Math.max(0, f / size.memoryBytes());
            }
            if (roomFor < wanted) {
                return Optional.of("the Swarm's " + rooms.size() + " active node" + (rooms.size() == 1 ? "" : "s")
                        + " have room for " + roomFor + " more " + size.label() + " dyno" + (roomFor == 1 ? "" : "s")
                        + " (" + (size.memoryBytes() >> 20) + " MB of memory each), not " + wanted
                        + ": scale to fewer, use a smaller size, or add a node (docker swarm join)");
            }
            for (int i = 0; i < wanted; i++) {
                int best = 0;
                for (int n = 1; n < free.length; n++) {
                    best = free[n] > free[best] ? n : best;
                }
                free[best] -= size.memoryBytes();
            }
        }
        return Optional.empty();
    }
}
