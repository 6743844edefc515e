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

/** The real {@code git} client, in a scratch working tree: what a developer does before a push. */
public final class GitPush {
    private final Path dir;

    private GitPush(Path dir) {
        this.dir = dir;
    }

    /** A fresh repository on branch main. */
    public static GitPush init() {
        try {
            GitPush repo = new GitPush(Files.createTempDirectory("slipway-test-repo-"));
            repo.git("init", "-q", "-b", "main");
            return repo;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A repository holding a copy of {@code source} (a directory), committed. */
    public static GitPush of(Path source) {
        GitPush repo = init();
        repo.copyFrom(source);
        repo.commit("initial");
        return repo;
    }

    public Path dir() {
        return dir;
    }

    public GitPush write(String path, String content) {
        try {
            Path p = dir.resolve(path);
            Files.createDirectories(p.getParent());
            Files.writeString(p, content);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public GitPush copyFrom(Path source) {
        Result r = run(List.of("cp", "-a", source.toAbsolutePath() + "/.", dir.toString()));
        if (r.exit() != 0) {
            throw new IllegalStateException("copy failed: " + r.output());
        }
        return this;
    }

    public GitPush commit(String message) {
        git("add", "-A");
        git("-c", "user.email=dev@example.com", "-c", "user.name=Dev", "commit", "-q", "--allow-empty", "-m", message);
        return this;
    }

    /** {@code git push URL REFSPEC} with the token as the HTTP password; never throws on a failed push. */
    public Result push(String apiUrl, String app, String token, String... refspecs) {
        String url = apiUrl.replace("http://", "http://git:" + token + "@") + "/git/" + app + ".git";
        List<String> cmd = new ArrayList<>(List.of("git", "-C", dir.toString(), "push", url));
        cmd.addAll(refspecs.length == 0 ? List.of("main") : List.of(refspecs));
        return run(cmd);
    }

    public Result git(String... args) {
        List<String> cmd = new ArrayList<>(List.of("git", "-C", dir.toString()));
        cmd.addAll(List.of(args));
        Result r = run(cmd);
        if (r.exit() != 0 && !args[0].equals("push")) {
            throw new IllegalStateException("git " + String.join(" ", args) + " failed: " + r.output());
        }
        return r;
    }

    /** What git printed (stdout and stderr, in order) and how it exited. */
    public record Result(int exit, String output) {}

    static Result run(List<String> cmd) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().putAll(QUIET);
            Process p = pb.start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(15, TimeUnit.MINUTES)) {
                p.destroyForcibly();
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Environment that keeps the test's git away from the user's own config and prompts. */
    static final Map<String, String> QUIET = Map.of("GIT_TERMINAL_PROMPT", "0");
}
