package io.slipway.cli;

import java.util.Optional;

/**
 * The user's terminal, as {@code slipway run} hands it to a remote TTY: its size, and a raw mode
 * in which every key (Ctrl-C, Ctrl-D, arrows) goes to the remote program instead of being acted
 * on locally. Present in {@link CliContext} only when stdin and stdout both are the terminal.
 */
public interface Tty {
    /** The size now; empty when it cannot be read (the remote side then keeps its default, 80x24). */
    Optional<Size> size();

    /**
     * Switches off line editing, echo and the signal keys, and returns how to switch them back to
     * exactly what they were. Callers go through {@link RawMode}, which makes sure that happens.
     *
     * @throws CliException when the terminal cannot be switched
     */
    Restore raw();

    /** A terminal size in character cells. */
    record Size(int columns, int lines) {
        public Size {
            if (columns <= 0 || lines <= 0) {
                throw new IllegalArgumentException("not a terminal size: " + columns + "x" + lines);
            }
        }
    }

    /** Puts the terminal back as it was before {@link #raw()}. */
    @FunctionalInterface
    interface Restore {
        void restore();
    }
}
