package io.slipway.cli;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The user's terminal in raw mode for as long as this is open, and put back on every way out:
 * {@link #close()} in a {@code finally}, and a shutdown hook for the ways a {@code finally} never
 * runs (SIGTERM, SIGHUP when the terminal window closes, {@code System.exit} elsewhere). Put back
 * exactly once, whichever comes first.
 */
final class RawMode implements AutoCloseable {
    /** Where the shutdown hook goes: the JVM's {@link Runtime}, or a test's list. */
    interface Hooks {
        Hooks RUNTIME = new Hooks() {
            @Override
            public void add(Thread hook) {
                Runtime.getRuntime().addShutdownHook(hook);
            }

            @Override
            public void remove(Thread hook) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // Already shutting down: the hook is running or has run, and restores itself.
                }
            }
        };

        void add(Thread hook);

        void remove(Thread hook);
    }

    private final AtomicReference<Tty.Restore> restore;
    private final Hooks hooks;
    private final Thread hook;

    private RawMode(Tty.Restore restore, Hooks hooks) {
        this.restore = new AtomicReference<>(restore);
        this.hooks = hooks;
        this.hook = new Thread(this::restore, "slipway-restore-terminal");
        hooks.add(hook);
    }

    /** Switches {@code tty} to raw mode; the caller closes the result in a {@code finally}. */
    static RawMode enter(Tty tty, Hooks hooks) {
        return new RawMode(tty.raw(), hooks);
    }

    private void restore() {
        Tty.Restore once = restore.getAndSet(null);
        if (once != null) {
            once.restore();
        }
    }

    @Override
    public void close() {
        try {
            restore();
        } finally {
            hooks.remove(hook);
        }
    }
}
