package io.slipway.controller.release;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * Where a release is on its one path to serving: every way of making a release (a push, a config
 * change, a rollback) starts it here, and the reconcile loop moves it on from what it observes.
 * The allowed moves are all in this file; {@link ReleaseService#transition} refuses any other.
 *
 * <pre>
 *   release_phase ──► booting ──► live
 *        │               │
 *        └──► failed ◄───┘         (either, also ──► superseded when a newer release comes first)
 * </pre>
 */
public enum ReleaseState {
    /** Its Procfile {@code release:} command runs (or is due); nothing of it serves yet. */
    RELEASE_PHASE("release_phase"),
    /** Its dynos are starting; the live release, if any, keeps serving until they all are up. */
    BOOTING("booting"),
    /** Routes switched to it. Stays so when a newer one goes live: the current release is the newest live one. */
    LIVE("live"),
    /** Never went live; the release's failure says why. */
    FAILED("failed"),
    /** A newer release was made before this one went live, and replaced it on the path. */
    SUPERSEDED("superseded");

    private final String dbValue;

    ReleaseState(String dbValue) {
        this.dbValue = dbValue;
    }

    /** The first state of a new release: its release command first, when its Procfile has one. */
    public static ReleaseState initial(boolean hasReleaseCommand) {
        return hasReleaseCommand ? RELEASE_PHASE : BOOTING;
    }

    public boolean canMoveTo(ReleaseState next) {
        return switch (this) {
            case RELEASE_PHASE -> next == BOOTING || next == FAILED || next == SUPERSEDED;
            case BOOTING -> next == LIVE || next == FAILED || next == SUPERSEDED;
            case LIVE, FAILED, SUPERSEDED -> false;
        };
    }

    /** Still on its way: the release phase or booting. */
    public boolean inFlight() {
        return this == RELEASE_PHASE || this == BOOTING;
    }

    public static Set<ReleaseState> inFlightStates() {
        return EnumSet.of(RELEASE_PHASE, BOOTING);
    }

    /** Heroku's release status, which its API and CLI know: pending, succeeded or failed. */
    public String herokuStatus() {
        return switch (this) {
            case RELEASE_PHASE, BOOTING -> "pending";
            // Superseded: a newer release took its place before it was live; nothing failed (the Heroku
            // CLI prints "release command failed" beside a failed one).
            case LIVE, SUPERSEDED -> "succeeded";
            case FAILED -> "failed";
        };
    }

    /** As stored, and as the API's {@code state} shows it. */
    public String value() {
        return dbValue;
    }

    public static ReleaseState of(String value) {
        return Arrays.stream(values()).filter(s -> s.dbValue.equals(value)).findFirst()
                .orElseThrow(() -> new IllegalStateException("unknown release state '" + value + "' in the database"));
    }
}
