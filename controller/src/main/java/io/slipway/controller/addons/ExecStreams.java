package io.slipway.controller.addons;

import io.slipway.controller.docker.RawAttach;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Commands run in an add-on's container with their data streamed, never held in memory: a dump's
 * output copied to a stream as it comes, a file fed to a command's input. Through the engine's
 * exec (a hijacked connection, {@link RawAttach}), so no port is ever opened to the host.
 */
final class ExecStreams {
    /** How much of a command's diagnostics is kept to explain a failure. */
    private static final int TAIL_CHARS = 4000;

    /** How a command ended: its exit code and the tail of what it said (stderr, and stdout when that was not data). */
    record Outcome(int exitCode, String said) {
        boolean ok() {
            return exitCode == 0;
        }

        String describe() {
            String s = said.strip();
            return "exit " + exitCode + (s.isEmpty() ? "" : ": " + s);
        }
    }

    private final AddonContainers containers;

    ExecStreams(AddonContainers containers) {
        this.containers = containers;
    }

    /** Runs {@code command}, copying its stdout to {@code sink} as it comes; its stderr is kept for the outcome. */
    Outcome run(Addon addon, List<String> command, OutputStream sink) throws IOException {
        String exec = create(addon, command, false);
        Tail tail = new Tail();
        try (RawAttach attach = RawAttach.startExec(containers.docker().host(), exec, false)) {
            attach.pump((stream, bytes) -> {
                if (stream == 1) {
                    sink.write(bytes);
                } else {
                    tail.add(bytes);
                }
            });
        }
        return new Outcome(exitCode(exec), tail.text());
    }

    /** Starts {@code command} with its input open: write to {@link Fed#stdin()}, then {@link Fed#finish()}. */
    Fed feed(Addon addon, List<String> command) throws IOException {
        String exec = create(addon, command, true);
        RawAttach attach = RawAttach.startExec(containers.docker().host(), exec, false);
        return new Fed(exec, attach);
    }

    /** A running command being fed; whatever it says (both streams) is kept, bounded, for its outcome. */
    final class Fed implements AutoCloseable {
        private final String exec;
        private final RawAttach attach;
        private final Tail tail = new Tail();
        private final Thread reader;
        private final OutputStream stdin;

        private Fed(String exec, RawAttach attach) {
            this.exec = exec;
            this.attach = attach;
            this.reader = Thread.ofVirtual().name("exec-output-" + exec.substring(0, 12)).start(() -> {
                try {
                    attach.pump((stream, bytes) -> tail.add(bytes));
                } catch (IOException closed) {
                    // the command ended or the connection was closed: what was said is in the tail
                }
            });
            this.stdin = new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    attach.writeStdin(off == 0 && len == b.length ? b : java.util.Arrays.copyOfRange(b, off, off + len));
                }
            };
        }

        OutputStream stdin() {
            return stdin;
        }

        /** Ends the input, waits for the command to end and says how it did. */
        Outcome finish() throws IOException {
            try {
                attach.closeStdin();
            } catch (IOException gone) {
                // it ended already (an error, say): its outcome says why
            }
            try {
                reader.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the command to end", e);
            }
            return new Outcome(exitCode(exec), tail.text());
        }

        /** What it said so far, for a failure found before it ended. */
        String said() {
            return tail.text();
        }

        @Override
        public void close() throws IOException {
            attach.close();
        }
    }

    private String create(Addon addon, List<String> command, boolean stdin) {
        return containers.docker().client().execCreateCmd(containers.containerName(addon)).withAttachStdin(stdin)
                .withAttachStdout(true).withAttachStderr(true).withTty(false)
                .withCmd(command.toArray(String[]::new)).exec().getId();
    }

    /** The exec's exit code, once Docker has noted it (shortly after its streams close). */
    private int exitCode(String exec) throws IOException {
        for (int i = 0; i < 200; i++) {
            var inspected = containers.docker().client().inspectExecCmd(exec).exec();
            if (!Boolean.TRUE.equals(inspected.isRunning()) && inspected.getExitCodeLong() != null) {
                return inspected.getExitCodeLong().intValue();
            }
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for an exit code", e);
            }
        }
        throw new IOException("the command's streams closed but Docker noted no exit code within 5 s");
    }

    /** The last {@link #TAIL_CHARS} characters of what a command said. */
    private static final class Tail {
        private final StringBuilder text = new StringBuilder();

        synchronized void add(byte[] bytes) {
            text.append(new String(bytes, StandardCharsets.UTF_8));
            if (text.length() > TAIL_CHARS) {
                text.delete(0, text.length() - TAIL_CHARS);
            }
        }

        synchronized String text() {
            return text.toString();
        }
    }
}
