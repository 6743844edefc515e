package io.slipway.controller.addons;

import java.time.Instant;
import java.util.UUID;

/** A stored backup of a PostgreSQL add-on; {@code addonId} is kept after the add-on is destroyed (its name may be reused). */
record Backup(UUID id, UUID appId, int number, UUID addonId, String addonName, Trigger trigger, State state,
              String failure, Long sizeBytes, String sha256, String createdBy, Instant startedAt, Instant finishedAt) {

    enum Trigger { MANUAL, SCHEDULE, DESTROY }

    enum State { RUNNING, DONE, FAILED }

    /** {@code b001}: how people name it. */
    String label() {
        return label(number);
    }

    static String label(int number) {
        return String.format("b%03d", number);
    }
}
