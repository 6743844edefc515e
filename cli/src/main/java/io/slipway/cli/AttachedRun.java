package io.slipway.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code slipway run} attached to its one-off dyno over the {@link RunProtocol} WebSocket: the
 * user's stdin goes to the command, its stdout and stderr come back to ours, and its exit code
 * becomes the CLI's. With a terminal on both ends the dyno gets a TTY of the same size and the
 * local terminal goes raw, so keys (Ctrl-C included) reach the remote program; it is put back on
 * every way out. Without one, Ctrl-C closes the connection, which stops the dyno.
 */
final class AttachedRun {
    /** The exit code after Ctrl-C, as a shell reports a command killed by SIGINT. */
    static final int INTERRUPTED = 130;
    /** How long to wait for the server to close after we did (it stops the dyno first). */
    private static final long CLOSE_WAIT_MS = 2000;
    private static final long SEND_TIMEOUT_S = 30;
    private static final int STDIN_CHUNK = 8192;
    /**
     * How often an idle run pings the platform. A write is what finds a dead connection: the
     * JDK's client can miss the end of one that closes while it is delivering a message, and a
     * peer that vanished (a network gone) sends no end at all.
     */
    static final long PING_EVERY_MS = 3000;

    private final Invocation inv;
    private final String path;
    private final String action;
    private final Optional<Tty> tty;
    private final RawMode.Hooks hooks;

    private final CompletableFuture<Integer> outcome = new CompletableFuture<>();
    private final CompletableFuture<Void> serverClosed = new CompletableFuture<>();
    private final Object lock = new Object();
    private final Object sendLock = new Object();
    private volatile WebSocket socket;
    private volatile String dyno;
    /** Guarded by {@link #lock}: once set, nothing may enter raw mode or start pumping any more. */
    private boolean finished;
    /** Guarded by {@link #lock}. */
    private RawMode raw;

    /**
     * An attached session on {@code path}: {@code /apps/shop/run}, or another WebSocket of the same
     * protocol ({@code pg:psql} on {@code /apps/shop/psql}); {@code action} is said while it starts
     * ("Running bash on shop").
     */
    AttachedRun(Invocation inv, String path, String action, RawMode.Hooks hooks) {
        this.inv = inv;
        this.path = path;
        this.action = action;
        this.tty = inv.ctx().tty();
        this.hooks = hooks;
    }

    /** Whether this run gets a TTY: both stdin and stdout are the user's terminal. */
    boolean withTty() {
        return tty.isPresent();
    }

    /** The terminal's size now, for the request; empty without a TTY or when it cannot be read. */
    Optional<Tty.Size> size() {
        return tty.flatMap(Tty::size);
    }

    /**
     * Runs to the end and returns the command's exit code ({@value #INTERRUPTED} after Ctrl-C).
     *
     * @param request the {@code RunRequest} JSON, the first message
     * @throws CliException when the run is refused or the connection is lost
     */
    int run(ObjectNode request) {
        inv.err().print(action + "... ");
        inv.err().flush();
        try {
            socket = inv.api().openWebSocket(path, new Listener());
        } catch (RuntimeException e) {
            inv.err().print("!\n");
            inv.err().flush();
            throw e;
        }
        Thread keepAlive = Thread.ofVirtual().name("slipway-run-ping").start(this::keepAlive);
        Signals signals = inv.ctx().signals();
        try (Signals.Registration interrupt = signals.on("INT", this::interrupt);
             Signals.Registration resize = tty.isPresent() ? signals.on("WINCH", this::resized) : () -> { }) {
            sendFirst(request.toString());
            return await();
        } finally {
            keepAlive.interrupt();
            finish();
        }
    }

    /** Pings until the run is over; a ping that cannot be written means the connection is lost. */
    private void keepAlive() {
        try {
            while (!outcome.isDone()) {
                Thread.sleep(PING_EVERY_MS);
                socket.sendPing(ByteBuffer.allocate(0)).whenComplete((ws, error) -> {
                    if (error != null && !(error instanceof IllegalStateException)) { // a ping still pending is fine
                        outcome.completeExceptionally(lost(error));
                    }
                });
            }
        } catch (InterruptedException e) {
            // the run is over
        }
    }

    private void sendFirst(String json) {
        try {
            socket.sendText(json, true).get(SEND_TIMEOUT_S, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            outcome.completeExceptionally(lost(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome.completeExceptionally(new CliException("interrupted while starting the run", e));
        }
    }

    private int await() {
        try {
            return outcome.get();
        } catch (ExecutionException e) {
            if (dyno == null) {
                inv.err().print("!\n");
                inv.err().flush();
            }
            throw e.getCause() instanceof CliException cli ? cli : new CliException(String.valueOf(e.getCause()), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted while " + (dyno == null ? "starting the run" : dyno + " ran"), e);
        }
    }

    /** The dyno is up: say so, then hand it the terminal and stdin. On the listener's thread. */
    private void started(String name) {
        synchronized (lock) {
            if (finished) {
                return;
            }
            dyno = name;
            inv.err().print("up, " + name + "\n");
            inv.err().flush();
            if (tty.isPresent()) {
                raw = RawMode.enter(tty.get(), hooks);
            }
            Thread pump = new Thread(this::pumpStdin, "slipway-run-stdin");
            pump.setDaemon(true); // a read of the terminal cannot be interrupted; exit must not wait for it
            pump.start();
        }
    }

    private void pumpStdin() {
        if (tty.isPresent()) {
            // As docker's CLI does after attaching: the TTY is created 0x0; the size in the request only sets $COLUMNS.
            size().ifPresent(size -> send(RunProtocol.resize(size)));
        }
        InputStream in = inv.ctx().stdin();
        byte[] buffer = new byte[STDIN_CHUNK];
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (n > 0 && !send(RunProtocol.frame(RunProtocol.STDIN, buffer, 0, n))) {
                    return;
                }
            }
        } catch (IOException e) {
            // Unreadable stdin counts as its end: the command sees EOF, as with </dev/null.
        }
        send(RunProtocol.eof());
    }

    /** The terminal was resized (SIGWINCH): tell the dyno's TTY. */
    private void resized() {
        if (dyno != null) {
            size().ifPresent(size -> send(RunProtocol.resize(size)));
        }
    }

    /** Ctrl-C without a raw terminal: closing the connection is what stops the dyno. */
    private void interrupt() {
        // The outcome first: the server's answering close must not read as a lost connection.
        outcome.complete(INTERRUPTED);
        WebSocket ws = socket;
        if (ws != null) {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "interrupted");
        }
    }

    /**
     * One binary message, one at a time (the WebSocket allows no more); false once the run is over.
     * No timeout: a command that reads its stdin slowly slows the sender down, and a run that ends
     * fails the send when its connection closes.
     */
    private boolean send(ByteBuffer frame) {
        synchronized (sendLock) {
            if (outcome.isDone() || socket.isOutputClosed()) {
                return false;
            }
            try {
                socket.sendBinary(frame, true).get();
                return true;
            } catch (ExecutionException e) {
                // The connection is gone. The listener usually says so too, but the JDK's client
                // does not always call it once a send has failed: the run would wait forever.
                outcome.completeExceptionally(lost(e.getCause()));
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /** Every way out: the terminal back first (the user sees it), then the connection closed. */
    private void finish() {
        RawMode toRestore;
        synchronized (lock) {
            finished = true;
            toRestore = raw;
            raw = null;
            if (dyno == null && outcome.isDone() && !outcome.isCompletedExceptionally()) {
                inv.err().print("interrupted\n"); // Ctrl-C before the dyno was up: end the "Running" line
                inv.err().flush();
            }
        }
        try {
            if (toRestore != null) {
                toRestore.close();
            }
        } finally {
            closeSocket();
        }
    }

    private void closeSocket() {
        WebSocket ws = socket;
        if (ws == null) {
            return;
        }
        try {
            if (!ws.isOutputClosed()) {
                ws.sendClose(WebSocket.NORMAL_CLOSURE, "");
            }
            serverClosed.get(CLOSE_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            // The server did not close in time: drop the connection, which stops the dyno as well.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            ws.abort();
        }
    }

    private CliException lost(Throwable cause) {
        String name = dyno;
        return name == null
                ? new CliException("lost the connection to the platform at " + inv.api().baseUrl()
                        + " before the dyno started", cause)
                : new CliException("lost the connection to the platform; " + name + " was stopped", cause);
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();
        /** The channel of the binary message being received; -1 between messages. */
        private int channel = -1;

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                String message = text.toString();
                text.setLength(0);
                try {
                    event(RunProtocol.parse(message));
                } catch (RuntimeException e) {
                    outcome.completeExceptionally(e);
                }
            }
            ws.request(1);
            return null;
        }

        private void event(RunProtocol.Event event) {
            switch (event) {
                case RunProtocol.Started started -> started(started.dyno());
                case RunProtocol.Exited exited -> outcome.complete(exited.code());
                case RunProtocol.Refused refused -> outcome.completeExceptionally(new CliException(refused.message()));
                case RunProtocol.Unknown unknown -> { }
            }
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            if (channel < 0 && data.hasRemaining()) {
                channel = data.get();
            }
            PrintStream target = switch (channel) {
                case RunProtocol.STDOUT -> inv.ctx().stdout();
                case RunProtocol.STDERR -> inv.ctx().stderr();
                default -> null;
            };
            if (target != null && data.hasRemaining()) {
                byte[] bytes = new byte[data.remaining()];
                data.get(bytes);
                target.write(bytes, 0, bytes.length);
                target.flush();
            }
            if (last) {
                channel = -1;
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            if (!outcome.isDone()) {
                String why = reason == null || reason.isBlank() ? "" : " (" + ApiClient.oneLine(reason) + ")";
                outcome.completeExceptionally(dyno == null
                        ? new CliException("the platform closed the connection before the dyno started" + why)
                        : new CliException("lost the connection to the platform; " + dyno + " was stopped" + why));
            }
            serverClosed.complete(null);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            outcome.completeExceptionally(lost(error));
            serverClosed.complete(null);
        }
    }
}
