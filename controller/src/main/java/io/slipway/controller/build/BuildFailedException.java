package io.slipway.controller.build;

/** A build that did not produce an image, with the reason a user can act on. */
public final class BuildFailedException extends RuntimeException {
    public BuildFailedException(String reason) {
        super(reason);
    }

    public BuildFailedException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
