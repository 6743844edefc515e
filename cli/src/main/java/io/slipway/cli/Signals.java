package io.slipway.cli;

/**
 * How a command hears the process's signals: {@code INT} (Ctrl-C without a raw terminal) and
 * {@code WINCH} (the terminal was resized). Behind an interface because signal handlers are
 * process-wide: tests fire them by hand instead of signalling the test JVM.
 */
public interface Signals {
    /** Hears nothing: for contexts where no signal can arrive (in-process tests, scripts). */
    Signals NONE = (signal, handler) -> () -> { };

    /**
     * Runs {@code handler} (on some other thread) each time the process receives {@code signal},
     * instead of what the process did before, until the returned registration is closed.
     *
     * @param signal a signal name without {@code SIG}: {@code INT}, {@code WINCH}
     */
    Registration on(String signal, Runnable handler);

    /** Ends one {@link #on} and puts back the handler it replaced; closing twice is harmless. */
    @FunctionalInterface
    interface Registration extends AutoCloseable {
        @Override
        void close();
    }
}
