package io.slipway.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The user's own {@code git} binary, run in the CLI's working directory with the CLI's environment
 * (never the JVM's), with nothing on its stdin, so it can never stop to ask for anything.
 */
final class LocalGit {
    static final long TIMEOUT_SECONDS = 10;

    private LocalGit() {}

    /** What one git command printed and how it exited. */
    record Result(int exit, String out, String err) {
        boolean ok() {
            return exit == 0;
        }

        /** Stdout without its trailing newline, as {@code $(git …)} gives it. */
        String value() {
            return out.strip();
        }

        /** Git's own complaint, as one line (for an error that says why git refused). */
        String reason() {
            String why = ApiClient.oneLine(err.isBlank() ? out : err);
            return why.startsWith("fatal: ") ? why.substring("fatal: ".length())
                    : why.startsWith("error: ") ? why.substring("error: ".length()) : why;
        }
    }

    /**
     * Runs {@code git -C <cwd> ARGS…}.
     *
     * @throws CliException when git is not installed, or did not finish within {@link #TIMEOUT_SECONDS}
     */
    static Result run(CliContext ctx, String... args) {
        List<String> command = new ArrayList<>(List.of("git", "-C", ctx.cwd().toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(ctx.cwd().toFile())
                .redirectInput(ProcessBuilder.Redirect.PIPE);
        builder.environment().clear();
        builder.environment().putAll(ctx.env());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new CliException("cannot run git (is it installed and on PATH?): " + e.getMessage(), e);
        }
        try {
            process.getOutputStream().close();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new CliException("git " + String.join(" ", args) + " did not finish within "
                        + TIMEOUT_SECONDS + " s");
            }
            return new Result(process.exitValue(), out.get(), err.get());
        } catch (IOException | ExecutionException e) {
            process.destroyForcibly();
            throw new CliException("cannot read what git " + String.join(" ", args) + " printed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new CliException("interrupted while git " + String.join(" ", args) + " ran", e);
        }
    }

    private static String readAll(InputStream in) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (in) {
            in.transferTo(buffer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }
}
