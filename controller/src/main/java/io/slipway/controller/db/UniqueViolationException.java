package io.slipway.controller.db;

import java.sql.SQLException;

/** An insert hit a unique constraint: the caller decides what that means (a taken name, usually). */
public final class UniqueViolationException extends RuntimeException {
    public UniqueViolationException(SQLException cause) {
        super(cause.getMessage(), cause);
    }
}
