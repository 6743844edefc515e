package io.slipway.cli;

/**
 * A failure the user should read as one line: the platform refused, a file could not be read,
 * the platform could not be reached. {@link Main} prints {@code slipway: <message>} and exits 1;
 * the stack trace is only shown with {@code SLIPWAY_DEBUG=1}. (Usage errors are picocli's
 * {@code ParameterException}s and exit 2.)
 */
final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CliException(String message) {
        super(message);
    }

    CliException(String message, Throwable cause) {
        super(message, cause);
    }
}
