package io.slipway.controller.certs.acme;

import java.time.Instant;
import java.util.UUID;

/**
 * Where one custom domain of an app with automatic certificates stands.
 *
 * @param nextTry     when it may be ordered again: after a failure, the backoff; while an order runs, the lease's end
 * @param certExpires the expiry of its automatic certificate; null when it has none
 */
record DomainState(UUID domainId, UUID appId, String app, String hostname, Status status, String lastError, int failures,
                   Instant nextTry, Instant certExpires) {

    enum Status {
        /** Being issued, or not tried yet. */
        PENDING,
        /** Its certificate is served and not due for renewal. */
        OK,
        /** The last order failed; its certificate, if it has one, keeps serving. */
        FAILING;

        String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static Status of(String wire) {
            return valueOf(wire.toUpperCase(java.util.Locale.ROOT));
        }
    }
}
