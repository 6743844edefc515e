package io.slipway.controller.db;

import java.util.Optional;

/**
 * Someone who knows better than a failed connection why the database is away: the supervisor of
 * the embedded server knows it is restarting. {@link #NONE} for an external database, whose
 * outages the platform only sees as refused connections.
 */
public interface OutageWatch {
    OutageWatch NONE = Optional::empty;

    /** What to tell clients while the database is known to be away; cheap, asked before every connection. */
    Optional<String> knownOutage();

    /** A connection just failed: look now rather than at the next poll, and say why if that explains it. */
    default Optional<String> afterFailure() {
        return knownOutage();
    }
}
