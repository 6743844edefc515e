package io.slipway.controller.run;

import io.slipway.controller.docker.RawAttach;
import java.io.IOException;

/**
 * What an attached WebSocket session ({@link AttachSession}) runs: a one-off dyno
 * ({@code slipway run}) or a command exec'd in an add-on ({@code pg:psql}). The session attaches,
 * starts it, pumps its streams and reports its exit code; the client going away stops it.
 */
public interface Attached {
    /** What the client is told is running ({@code run.3}, {@code postgres-shop-1}). */
    String name();

    boolean tty();

    /** Its stdin and output, held before it starts so not a byte of output is missed. */
    RawAttach attach() throws IOException;

    /** Starts it, once attached (nothing to do for what starts by being attached). */
    void start();

    /** Waits for its end; its exit code. */
    int awaitExit();

    /**
     * Whether the end of the client's input is passed on (a half-close). The engine drops an exec's
     * output at once when its TTY's input is closed, and a terminal's user ends a session with a
     * key anyway (Ctrl-D, \\q), so a TTY exec keeps its input open.
     */
    default boolean passesEndOfInput() {
        return true;
    }

    /** The client's terminal changed size. */
    void resize(int columns, int lines);

    /** The client went away: stop it. */
    void stop();

    /** The session is over: clean up what is left. */
    void remove();

    /** Makes the {@link Attached} from the client's first message; an {@code ApiException} refuses it. */
    @FunctionalInterface
    interface Starter {
        Attached start(String firstMessage) throws com.fasterxml.jackson.core.JsonProcessingException;
    }
}
