package io.slipway.controller.addons;

import java.time.Instant;
import java.util.UUID;

/**
 * A stored add-on: {@code postgres-shop-1}, owned by one app, with its generated credentials and
 * where its creation stands ({@code progress} while creating, {@code failure} when it failed).
 */
record Addon(UUID id, String name, UUID appId, String service, String version, int number, State state,
             String failure, String progress, String attachAs, String username, String password, String database,
             String createdBy, Instant createdAt) {

    /**
     * How far creation got; a ready add-on's liveness is its container's, read from Docker.
     * {@code DESTROYING}: its last backup is being taken; it is removed once that is verified.
     */
    enum State {
        CREATING, READY, FAILED, DESTROYING;

        String column() {
            return name().toLowerCase();
        }
    }

    Service kind() {
        return Service.named(service);
    }
}
