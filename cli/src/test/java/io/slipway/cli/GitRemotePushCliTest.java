package io.slipway.cli;

import io.slipway.controller.testing.GitPush;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code git:remote}, then a plain {@code git push slipway main}: git gets the API token from
 * {@code slipway git:credential} (run through a launcher, as {@code ./slipway} is), with no token
 * in the remote URL and nothing typed.
 */
class GitRemotePushCliTest extends AgainstPlatform {
    @TempDir
    Path scratch;

    private GitPush checkout;
    private Path launcher;
    private SlipwayCli inCheckout;

    @BeforeEach
    void shopAndACheckout() throws IOException {
        Deploys.createApp(slipway, "shop");
        checkout = Deploys.checkout("hello");
        launcher = launcher(scratch.resolve("slipway"));
        inCheckout = slipway.in(checkout.dir()).with(GitCommands.LAUNCHER_VARIABLE, launcher.toString());
    }

    @Test
    void gitRemoteThenAPlainPushDeploysWithTheTokenFromTheHelper() throws Exception {
        SlipwayCli.Result r = inCheckout.ok("git:remote", "-a", "shop");

        String gitUrl = platform.apiUrl() + "/git/shop.git";
        assertThat(r.out()).isEqualTo("set git remote slipway to " + gitUrl + "\n");
        assertThat(r.err()).isEmpty();
        assertThat(git("config", "--get", "remote.slipway.url")).isEqualTo(gitUrl + "\n");
        assertThat(Files.readString(checkout.dir().resolve(".git/config"))).doesNotContain(platform.adminToken());

        Result push = run(checkout.dir(), inCheckout.env(), "git", "push", "slipway", "main");
        assertThat(push.exit()).as(push.output()).isZero();
        assertThat(push.output()).contains("remote: -----> Released v1").doesNotContain(platform.adminToken());
        assertThat(slipway.ok("releases", "-a", "shop").out()).contains("v1  Deploy ");
    }

    @Test
    void theHelperWinsOverAStaleCachedPasswordInTheUsersGlobalConfig() throws Exception {
        // A user whose ~/.gitconfig stores passwords, with a wrong one saved for the platform.
        Path userHome = Files.createDirectories(scratch.resolve("home"));
        Files.writeString(userHome.resolve(".gitconfig"), "[credential]\n\thelper = store\n");
        Files.writeString(userHome.resolve(".git-credentials"),
                platform.apiUrl().replace("http://", "http://slipway:stale-token@") + "\n");
        SlipwayCli user = inCheckout.with("HOME", userHome.toString());
        user.ok("git:remote", "-a", "shop");

        Result push = run(checkout.dir(), user.env(), "git", "push", "slipway", "main");

        assertThat(push.exit()).as(push.output()).isZero();
        assertThat(push.output()).contains("Released v1");
    }

    @Test
    void theHelperIsConfiguredInTheRepositoryForThePlatformsUrlOnly() {
        inCheckout.ok("git:remote", "-a", "shop");
        String key = "credential." + platform.apiUrl();
        assertThat(git("config", "--local", "--get-all", key + ".helper"))
                .isEqualTo("\n!" + ShellQuote.quote(launcher.toString()) + " git:credential\n");
        assertThat(git("config", "--local", "--get", key + ".username")).isEqualTo("slipway\n");
        assertThat(git("config", "--local", "--get-all", "credential.helper")).isEmpty();
    }

    @Test
    void runningItAgainPointsTheRemoteAtTheAppAndKeepsOneHelper() {
        inCheckout.ok("git:remote", "-a", "shop");
        Deploys.createApp(slipway, "other");
        assertThat(inCheckout.ok("git:remote", "-a", "other").out())
                .isEqualTo("set git remote slipway to " + platform.apiUrl() + "/git/other.git\n");
        assertThat(git("config", "--get", "remote.slipway.url")).isEqualTo(platform.apiUrl() + "/git/other.git\n");
        assertThat(git("config", "--local", "--get-all", "credential." + platform.apiUrl() + ".helper").lines()).hasSize(2);
        // …and the app verbs now follow the remote.
        assertThat(inCheckout.ok("apps:info").out()).startsWith("=== other\n");
    }

    @Test
    void anotherRemoteNameCanBeGiven() {
        assertThat(inCheckout.ok("git:remote", "-a", "shop", "-r", "staging").out())
                .isEqualTo("set git remote staging to " + platform.apiUrl() + "/git/shop.git\n");
        assertThat(git("remote")).isEqualTo("staging\n");
    }

    @Test
    void aRemoteNameGitRefusesIsOneLineAndNoHelperIsWritten() {
        inCheckout.run("git:remote", "-a", "shop", "-r", "bad name").failsWith(1, "git refused the remote 'bad name'");
        assertThat(git("config", "--local", "--get-regexp", "credential")).isEmpty();
    }

    @Test
    void anUnknownAppChangesNothing() {
        inCheckout.run("git:remote", "-a", "nosuch").failsWith(1, "nosuch");
        assertThat(git("remote")).isEmpty();
        assertThat(git("config", "--local", "--get-regexp", "credential")).isEmpty();
    }

    /** A stand-in for ./slipway: a script that runs this CLI's Main on the test's class path. */
    private static Path launcher(Path file) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String script = "#!/usr/bin/env bash\nexec " + ShellQuote.quote(java) + " -cp "
                + ShellQuote.quote(System.getProperty("java.class.path")) + " io.slipway.cli.Main \"$@\"\n";
        Files.writeString(file, script);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }

    private String git(String... args) {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        return run(checkout.dir(), inCheckout.env(), command.toArray(String[]::new)).output();
    }

    record Result(int exit, String output) {}

    /** A command with exactly the CLI's environment (what the user's shell would hand git). */
    private static Result run(Path dir, Map<String, String> env, String... command) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().clear();
            pb.environment().putAll(env);
            Process p = pb.start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
