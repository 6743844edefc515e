package io.slipway.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything one run of the CLI may read from the outside world: the environment, the working
 * directory and the standard streams. Only {@link Main#main} builds one from the real process;
 * tests build their own, so a whole command runs in-process with its own env and cwd.
 *
 * @param env      the environment variables (never {@code System.getenv()} below {@code main})
 * @param cwd      the directory the command runs in (git remote lookup)
 * @param stdin    standard input (the token for {@code login} when it is not a terminal)
 * @param stdout   standard output; written as UTF-8
 * @param stderr   standard error; written as UTF-8
 * @param terminal the interactive terminal when stdin is one, for hidden prompts; empty otherwise
 * @param clock    what "now" is, for ages like {@code (~ 5m ago)} and {@code restarting in 8 s}
 * @param tty      the user's terminal when stdin and stdout both are one, for {@code run}'s remote TTY
 * @param signals  how Ctrl-C and terminal resizes reach a command ({@link Signals#NONE} in tests that need neither)
 */
public record CliContext(Map<String, String> env, Path cwd, InputStream stdin, PrintStream stdout,
                         PrintStream stderr, Optional<Terminal> terminal, Clock clock, Optional<Tty> tty,
                         Signals signals) {

    public CliContext {
        env = Map.copyOf(env);
        Objects.requireNonNull(cwd, "cwd");
        Objects.requireNonNull(stdin, "stdin");
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
        Objects.requireNonNull(terminal, "terminal");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(tty, "tty");
        Objects.requireNonNull(signals, "signals");
    }

    /** A context with no terminal to hand to a remote command and no signals (what in-process tests have). */
    public CliContext(Map<String, String> env, Path cwd, InputStream stdin, PrintStream stdout, PrintStream stderr,
                      Optional<Terminal> terminal, Clock clock) {
        this(env, cwd, stdin, stdout, stderr, terminal, clock, Optional.empty(), Signals.NONE);
    }

    /** A context on the system clock. */
    public CliContext(Map<String, String> env, Path cwd, InputStream stdin, PrintStream stdout, PrintStream stderr,
                      Optional<Terminal> terminal) {
        this(env, cwd, stdin, stdout, stderr, terminal, Clock.systemUTC());
    }

    /** A context without a terminal, as when input is piped (what tests and scripts have). */
    public CliContext(Map<String, String> env, Path cwd, InputStream stdin, PrintStream stdout, PrintStream stderr) {
        this(env, cwd, stdin, stdout, stderr, Optional.empty());
    }

    /** An environment variable, or empty when it is unset or blank. */
    Optional<String> var(String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    /** The interactive terminal a secret can be typed into without echo. */
    @FunctionalInterface
    public interface Terminal {
        /** Shows {@code prompt} and reads one line without echoing it; null at end of input. */
        char[] readSecret(String prompt);
    }
}
