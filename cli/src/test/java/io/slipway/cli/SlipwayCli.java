package io.slipway.cli;

import io.slipway.controller.testing.TestPlatform;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the real CLI in-process through {@link Main#run}, with an environment and working
 * directory of the test's choosing, and captures what a user would see.
 */
final class SlipwayCli {
    private final Map<String, String> env;
    private final Path cwd;
    private final String stdin;
    private final Clock clock;
    private final Optional<Tty> tty;
    private final Signals signals;

    private SlipwayCli(Map<String, String> env, Path cwd, String stdin, Clock clock, Optional<Tty> tty, Signals signals) {
        this.env = Map.copyOf(env);
        this.cwd = cwd;
        this.stdin = stdin;
        this.clock = clock;
        this.tty = tty;
        this.signals = signals;
    }

    private SlipwayCli(Map<String, String> env, Path cwd, String stdin, Clock clock) {
        this(env, cwd, stdin, clock, Optional.empty(), Signals.NONE);
    }

    private SlipwayCli(Map<String, String> env, Path cwd, String stdin) {
        this(env, cwd, stdin, Clock.systemUTC());
    }

    /** The CLI as a user on the platform's own host has it: no login, the admin token under SLIPWAY_HOME. */
    static SlipwayCli onHostOf(TestPlatform platform) {
        Map<String, String> env = new HashMap<>(platform.env());
        env.remove("DATABASE_URL"); // the platform's, not something a CLI user has
        return new SlipwayCli(withBasics(env, platform.home()), platform.home(), "");
    }

    /** A CLI with exactly these variables (plus PATH and HOME, which git needs). */
    static SlipwayCli withEnv(Map<String, String> env, Path home) {
        return new SlipwayCli(withBasics(new HashMap<>(env), home), home, "");
    }

    SlipwayCli in(Path dir) {
        return new SlipwayCli(env, dir, stdin, clock, tty, signals);
    }

    /** The CLI with its clock stopped at {@code now}, for output with ages in it. */
    SlipwayCli at(Instant now) {
        return new SlipwayCli(env, cwd, stdin, Clock.fixed(now, ZoneOffset.UTC), tty, signals);
    }

    /** The CLI as run from a terminal (stdin and stdout both), this one. */
    SlipwayCli onTerminal(Tty terminal) {
        return new SlipwayCli(env, cwd, stdin, clock, Optional.of(terminal), signals);
    }

    /** The CLI hearing the process's signals through these (a test fires them by hand). */
    SlipwayCli hearing(Signals heard) {
        return new SlipwayCli(env, cwd, stdin, clock, tty, heard);
    }

    SlipwayCli with(String name, String value) {
        Map<String, String> changed = new HashMap<>(env);
        if (value == null) {
            changed.remove(name);
        } else {
            changed.put(name, value);
        }
        return new SlipwayCli(changed, cwd, stdin, clock, tty, signals);
    }

    SlipwayCli typing(String input) {
        return new SlipwayCli(env, cwd, input, clock, tty, signals);
    }

    Map<String, String> env() {
        return env;
    }

    Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            CliContext ctx = new CliContext(env, cwd, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), o, e,
                    Optional.empty(), clock, tty, signals);
            code = Main.run(ctx, args);
        }
        return new Result(code, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }

    /** Runs and insists on success, so a failing setup step says why. */
    Result ok(String... args) {
        Result r = run(args);
        assertThat(r.exitCode()).as("exit code of %s; stderr: %s", String.join(" ", args), r.err()).isZero();
        return r;
    }

    private static Map<String, String> withBasics(Map<String, String> env, Path home) {
        String path = System.getenv("PATH");
        env.putIfAbsent("PATH", path == null ? "/usr/local/bin:/usr/bin:/bin" : path);
        env.putIfAbsent("HOME", home.toString());
        // git must not read the developer's own config or prompt for anything.
        env.putIfAbsent("GIT_CONFIG_NOSYSTEM", "1");
        env.putIfAbsent("GIT_TERMINAL_PROMPT", "0");
        return env;
    }

    record Result(int exitCode, byte[] outBytes, String err) {
        String out() {
            return new String(outBytes, StandardCharsets.UTF_8);
        }

        /** The single error line, having checked there is exactly one and it is ours. */
        String errorLine() {
            assertThat(err).as("stderr").startsWith("slipway: ").endsWith("\n");
            assertThat(err.strip().lines()).as("stderr lines").hasSize(1);
            assertThat(err).as("no stack trace").doesNotContain("\tat ", "Exception");
            return err.strip();
        }

        /** Fails with one clear line and this exit code. */
        Result failsWith(int expectedCode, String... fragments) {
            assertThat(exitCode).as("exit code; stdout: %s stderr: %s", out(), err).isEqualTo(expectedCode);
            String line = errorLine();
            if (fragments.length > 0) {
                assertThat(line).contains(fragments);
            }
            return this;
        }
    }
}
