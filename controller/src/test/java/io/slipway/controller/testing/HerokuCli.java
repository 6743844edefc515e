package io.slipway.controller.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The real, unmodified Heroku CLI from the npm registry, pointed at a test platform with
 * {@code HEROKU_HOST} and {@code HEROKU_API_KEY}. It is installed once per version into
 * {@code ~/.cache/slipway/heroku-<version>} (or {@code SLIPWAY_HEROKU_CLI_DIR}) with
 * {@code npm install --no-save}; without npm the tests that use it are skipped, saying so.
 */
public final class HerokuCli {
    public static final String VERSION = "11.10.0";
    private static final Path DIR = Path.of(System.getenv().getOrDefault("SLIPWAY_HEROKU_CLI_DIR",
            System.getProperty("user.home") + "/.cache/slipway/heroku-" + VERSION));

    private final String apiUrl;
    private final String token;
    private final Path home;
    private final Map<String, String> extraEnv;

    private HerokuCli(String apiUrl, String token, Path home, Map<String, String> extraEnv) {
        this.apiUrl = apiUrl;
        this.token = token;
        this.home = home;
        this.extraEnv = Map.copyOf(extraEnv);
    }

    /**
     * This CLI with more environment ({@code HEROKU_GIT_HOST}, {@code NODE_EXTRA_CA_CERTS}, or
     * {@code HEROKU_HOST} itself), in the same home. The home's {@code bin/heroku} runs it, as a
     * {@code npm install -g heroku} would, so git finds the credential helper the CLI configures.
     */
    public HerokuCli with(Map<String, String> env) {
        Map<String, String> all = new java.util.HashMap<>(extraEnv);
        all.putAll(env);
        return new HerokuCli(apiUrl, token, home, all);
    }

    public Path home() {
        return home;
    }

    /** {@code git args…} in {@code dir} as this user: their HOME (its .gitconfig), the heroku command on PATH. */
    public Result git(Path dir, String... args) {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        return exec(dir, command, 600);
    }

    /** The CLI as a user of {@code platform} holding its admin token; installs it on first use. */
    public static HerokuCli of(TestPlatform platform) {
        ensureInstalled();
        try {
            // Its own HOME: the CLI writes a git credential helper into ~/.gitconfig and caches under ~/.cache.
            Path home = Files.createTempDirectory("slipway-heroku-home-");
            Path bin = Files.createDirectories(home.resolve("bin"));
            Files.writeString(bin.resolve("heroku"), "#!/bin/sh\nexec node '" + DIR.resolve("node_modules/heroku/bin/run.js")
                    + "' \"$@\"\n");
            bin.resolve("heroku").toFile().setExecutable(true);
            return new HerokuCli(platform.apiUrl(), platform.adminToken(), home, Map.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public record Result(int exit, String stdout, String stderr) {
        public String all() {
            return stdout + stderr;
        }
    }

    public Result run(String... args) {
        return runIn(home, args);
    }

    /** Runs {@code heroku args…} in {@code dir} (e.g. a git working tree for {@code git:remote}). */
    public Result runIn(Path dir, String... args) {
        List<String> command = new ArrayList<>(List.of("node", DIR.resolve("node_modules/heroku/bin/run.js").toString()));
        command.addAll(List.of(args));
        return exec(dir, command, 120);
    }

    /** {@code heroku args…} with {@code input} as its standard input, which then ends (as a piped script's does). */
    public Result runWithInput(String input, String... args) {
        List<String> command = new ArrayList<>(List.of("node", DIR.resolve("node_modules/heroku/bin/run.js").toString()));
        command.addAll(List.of(args));
        try {
            Path in = Files.createTempFile(home, "in-", ".txt");
            Files.writeString(in, input);
            return exec(home, command, 120, in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Result exec(Path dir, List<String> command, int timeoutSeconds) {
        return exec(dir, command, timeoutSeconds, null);
    }

    private Result exec(Path dir, List<String> command, int timeoutSeconds, Path input) {
        try {
            Path out = Files.createTempFile(home, "out-", ".txt");
            Path err = Files.createTempFile(home, "err-", ".txt");
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            if (input != null) {
                pb.redirectInput(input.toFile());
            }
            Map<String, String> env = pb.environment();
            env.put("HOME", home.toString());
            env.put("HEROKU_HOST", apiUrl);
            env.put("HEROKU_API_KEY", token);
            env.put("HEROKU_SKIP_NEW_VERSION_CHECK", "true");
            env.put("HEROKU_DISABLE_AUTOUPDATE", "1");
            // As `slipway heroku:env` exports: nothing (and no token) goes to heroku.com.
            env.put("HEROKU_PARTICLEBOARD_URL", apiUrl);
            env.put("DISABLE_TELEMETRY", "true");
            env.put("NO_COLOR", "1");
            env.put("FORCE_COLOR", "0");
            env.put("PATH", home.resolve("bin") + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
            env.put("GIT_TERMINAL_PROMPT", "0");
            env.remove("GIT_SSL_CAINFO"); // a machine-wide one would override the http.<url>.sslCAInfo a user sets
            env.putAll(extraEnv);
            Process p = pb.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new IllegalStateException("heroku " + command.subList(2, command.size()) + " did not finish in "
                        + timeoutSeconds + "s; stdout: " + Files.readString(out) + " stderr: " + Files.readString(err));
            }
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * {@code sh -c script} in {@code dir} as a user with only {@code exports} set up: their HOME, the
     * heroku command on PATH, and none of the variables the other methods set (nor a machine's
     * {@code GIT_SSL_CAINFO}, {@code HEROKU_*} or {@code NODE_EXTRA_CA_CERTS}). {@code exports} is eval'ed first.
     */
    public Result shell(Path dir, String exports, String script) {
        try {
            Path out = Files.createTempFile(home, "out-", ".txt");
            Path err = Files.createTempFile(home, "err-", ".txt");
            ProcessBuilder pb = new ProcessBuilder("sh", "-c", "eval \"$SLIPWAY_TEST_EXPORTS\" && " + script)
                    .directory(dir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
            Map<String, String> env = pb.environment();
            env.keySet().removeIf(k -> k.startsWith("HEROKU_") || k.startsWith("GIT_") || k.equals("NODE_EXTRA_CA_CERTS")
                    || k.equals("DISABLE_TELEMETRY"));
            env.put("HOME", home.toString());
            env.put("PATH", home.resolve("bin") + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
            env.put("HEROKU_SKIP_NEW_VERSION_CHECK", "true");
            env.put("NO_COLOR", "1");
            env.put("GIT_TERMINAL_PROMPT", "0");
            env.put("SLIPWAY_TEST_EXPORTS", exports);
            Process p = pb.start();
            if (!p.waitFor(600, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new IllegalStateException("sh -c " + script + " did not finish in 600s; stdout: " + Files.readString(out)
                        + " stderr: " + Files.readString(err));
            }
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts {@code heroku args…} and leaves it running (for {@code logs --tail}); its output goes to {@code out}. */
    public Process start(Path out, String... args) {
        List<String> command = new ArrayList<>(List.of("node", DIR.resolve("node_modules/heroku/bin/run.js").toString()));
        command.addAll(List.of(args));
        try {
            ProcessBuilder pb = new ProcessBuilder(command).directory(home.toFile())
                    .redirectErrorStream(true).redirectOutput(out.toFile());
            pb.environment().put("HOME", home.toString());
            pb.environment().put("HEROKU_HOST", apiUrl);
            pb.environment().put("HEROKU_API_KEY", token);
            pb.environment().put("HEROKU_SKIP_NEW_VERSION_CHECK", "true");
            pb.environment().put("HEROKU_PARTICLEBOARD_URL", apiUrl);
            pb.environment().put("DISABLE_TELEMETRY", "true");
            pb.environment().put("NO_COLOR", "1");
            pb.environment().putAll(extraEnv);
            return pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static synchronized void ensureInstalled() {
        if (Files.isRegularFile(DIR.resolve("node_modules/heroku/bin/run.js"))) {
            return;
        }
        Assumptions.assumeTrue(onPath("npm") && onPath("node"),
                "npm and node are not installed: the Heroku CLI compatibility tests need them to install heroku@" + VERSION);
        try {
            Files.createDirectories(DIR);
            Process p = new ProcessBuilder("npm", "install", "--no-save", "--no-audit", "--no-fund", "heroku@" + VERSION)
                    .directory(DIR.toFile()).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException("npm install heroku@" + VERSION + " in " + DIR + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
