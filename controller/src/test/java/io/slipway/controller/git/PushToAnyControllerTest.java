package io.slipway.controller.git;

import static io.slipway.controller.testing.Api.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.slipway.controller.app.App;
import io.slipway.controller.app.AppName;
import io.slipway.controller.db.Database;
import io.slipway.controller.leader.SecondController;
import io.slipway.controller.testing.Api;
import io.slipway.controller.testing.ControllerProcess;
import io.slipway.controller.testing.GitPush;
import io.slipway.controller.testing.TestPlatform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.jgit.lib.Repository;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two controllers on one database, each with a disk of its own, take pushes to the same app with
 * the real git client: whichever a push reaches, it continues the one history PostgreSQL holds.
 */
class PushToAnyControllerTest {
    static final GitPush buildpack = GitPush.of(Path.of("src/test/resources/fixtures/hello-buildpack"));
    static TestPlatform platform;
    static final List<Path> homes = new ArrayList<>();
    static ControllerProcess second;
    static String a;
    static String b;
    static Api api;
    static Database db;

    @BeforeAll
    static void twoControllers() throws Exception {
        platform = TestPlatform.start();
        Map<String, String> env = SecondController.env(platform.env(), home());
        second = ControllerProcess.start(env, Path.of(env.get("SLIPWAY_HOME")).resolve("controller.log"));
        a = platform.apiUrl();
        b = SecondController.apiUrl(env);
        api = Api.of(platform);
        db = Database.open(platform.database(), Duration.ofSeconds(5), Duration.ofSeconds(5));
    }

    @AfterAll
    static void stop() {
        if (db != null) {
            db.close();
        }
        if (second != null) {
            second.close();
        }
        if (platform != null) {
            platform.close();
        }
        homes.forEach(SecondController::deleteTree);
    }

    @Test
    void aPushToTheOtherControllerContinuesTheHistoryAndADivergedOneIsRefusedAsNonFastForward() {
        App app = create("relay");
        GitPush dev = GitPush.init().write("hello.txt", "v1\n").commit("v1");
        assertReleased(dev.push(a, "relay", token()), "v1");

        dev.write("hello.txt", "v2\n").commit("v2");
        assertReleased(dev.push(b, "relay", token()), "v2");
        var releases = json(api.get("/apps/relay/releases"));
        assertThat(releases.size()).isEqualTo(2);
        assertThat(releases.get(0).get("commit").asText()).isEqualTo(dev.git("rev-parse", "HEAD").output().strip());

        dev.git("reset", "-q", "--hard", "HEAD~1");
        dev.write("hello.txt", "elsewhere\n").commit("diverged from v1");
        GitPush.Result diverged = dev.push(a, "relay", token());

        assertThat(diverged.exit()).as(diverged.output()).isNotZero();
        assertThat(diverged.output()).contains("! [rejected]").contains("main -> main (non-fast-forward)");
        assertThat(json(api.get("/apps/relay/releases")).size()).isEqualTo(2);
        assertThat(storedLog(app)).containsExactly("v2", "v1");
    }

    @Test
    void aControllerOnAFreshDiskGetsTheHistoryFromTheDatabase() throws Exception {
        App app = create("fresh");
        GitPush dev = GitPush.init().write("hello.txt", "v1\n").commit("v1");
        assertReleased(dev.push(a, "fresh", token()), "v1");
        dev.write("hello.txt", "v2\n").commit("v2");
        assertReleased(dev.push(b, "fresh", token()), "v2");

        Path empty = home();
        Map<String, String> env = SecondController.env(platform.env(), empty);
        try (ControllerProcess third = ControllerProcess.start(env, empty.resolve("controller.log"))) {
            String c = SecondController.apiUrl(env);
            GitPush stale = GitPush.init();
            stale.git("pull", "-q", dev.dir().toString(), "main");
            stale.git("reset", "-q", "--hard", "HEAD~1");
            stale.write("hello.txt", "elsewhere\n").commit("diverged from v1");
            assertThat(stale.push(c, "fresh", token()).output()).contains("main -> main (non-fast-forward)");

            dev.write("hello.txt", "v3\n").commit("v3");
            assertReleased(dev.push(c, "fresh", token()), "v3");
        }
        assertThat(Files.exists(empty.resolve("git").resolve(app.id() + ".git"))).isTrue();
        assertThat(storedLog(app)).containsExactly("v3", "v2", "v1");
    }

    @Test
    void pushesRacingThroughTwoControllersFollowEachOtherAndTheLoserIsToldNonFastForward() throws Exception {
        App app = create("race");
        GitPush one = GitPush.init().write("hello.txt", "v1\n").commit("v1");
        assertReleased(one.push(a, "race", token()), "v1");
        GitPush other = GitPush.init();
        other.git("pull", "-q", one.dir().toString(), "main");
        one.write("one.txt", "from one\n").commit("from one");
        other.write("other.txt", "from other\n").commit("from other");

        // Another push holds the app's turn until both pushes wait for it, long enough to be told so.
        GitPush.Result[] results;
        try (PushLocks.Held turn = new PushLocks(platform.database(), Duration.ofMinutes(1)).take(app.id(), () -> {});
             ExecutorService pushers = Executors.newFixedThreadPool(2)) {
            var throughA = pushers.submit(() -> one.push(a, "race", token()));
            var throughB = pushers.submit(() -> other.push(b, "race", token()));
            await().atMost(Duration.ofSeconds(30)).until(() -> SecondController.count(platform,
                    "select count(*) from pg_locks where locktype = 'advisory' and not granted") == 2);
            Thread.sleep(PushLocks.QUIET_WAIT.toMillis() + 500);
            turn.close();
            results = new GitPush.Result[] {throughA.get(), throughB.get()};
        }

        GitPush.Result won = results[0].exit() == 0 ? results[0] : results[1];
        GitPush.Result lost = won == results[0] ? results[1] : results[0];
        GitPush winner = won == results[0] ? one : other;
        GitPush loser = winner == one ? other : one;
        assertThat(won.exit()).as(won.output()).isZero();
        assertThat(won.output()).contains("Waiting for another push to race to finish").contains("Released v2");
        assertThat(lost.exit()).as(lost.output()).isNotZero();
        assertThat(lost.output()).contains("Waiting for another push to race to finish")
                .contains("Another push to race moved main").contains("! [rejected]        main -> main (non-fast-forward)");
        assertThat(storedLog(app)).containsExactly(winner == one ? "from one" : "from other", "v1");

        // The loser merges the winner's work and pushes again: both commits are in the stored history.
        loser.git("-c", "user.email=dev@example.com", "-c", "user.name=Dev", "pull", "-q", "--no-rebase", "--no-edit",
                winner.dir().toString(), "main");
        assertReleased(loser.push(winner == one ? a : b, "race", token()), "v3");
        assertThat(storedLog(app)).contains("from one", "from other", "v1");
    }

    @Test
    void aFailedBuildStoresNothingAndTheNextPushStartsFromTheStoredTip() {
        App app = create("fails");
        GitPush dev = GitPush.init().write("hello.txt", "v1\n").commit("v1");
        assertReleased(dev.push(a, "fails", token()), "v1");
        dev.write("hello.txt", "fail\n").commit("broken");
        GitPush.Result broken = dev.push(b, "fails", token());
        assertThat(broken.output()).contains("[remote rejected] main -> main (build failed)");

        dev.git("reset", "-q", "--hard", "HEAD~1");
        dev.write("hello.txt", "fixed\n").commit("fixed");

        assertReleased(dev.push(a, "fails", token()), "v2");
        assertThat(storedLog(app)).containsExactly("fixed", "v1");
        assertThat(SecondController.count(platform, "select count(*) from git_bundles where app_id = ?", app.id())).isEqualTo(2);
    }

    @Test
    void aRenamedAppKeepsItsStoredRepositoryAndADestroyedOneLeavesNothingStored() {
        App app = create("before");
        GitPush dev = GitPush.init().write("hello.txt", "v1\n").commit("v1");
        assertReleased(dev.push(a, "before", token()), "v1");
        long size = json(api.get("/apps/before")).get("repo_size").asLong();
        assertThat(size).isEqualTo(SecondController.count(platform,
                "select sum(octet_length(bundle)) from git_bundles where app_id = ?", app.id())).isPositive();

        assertThat(api.patch("/apps/before", "{\"name\":\"after\"}").status()).isEqualTo(200);
        dev.write("hello.txt", "v2\n").commit("v2");
        assertReleased(dev.push(b, "after", token()), "v2");
        assertThat(json(new Api(b, token()).get("/apps/after")).get("repo_size").asLong()).isGreaterThan(size);

        assertThat(new Api(b, token()).delete("/apps/after").status()).isEqualTo(200);
        assertThat(SecondController.count(platform, "select count(*) from git_bundles where app_id = ?", app.id())).isZero();
    }

    /** The stored history as a controller on a fresh disk gets it: {@code git fsck} passes, subjects newest first. */
    private static List<String> storedLog(App app) {
        Path dir = home();
        RepositoryCache fresh = new RepositoryCache(dir, new RepositoryLog(db), 50);
        try (Repository repo = fresh.open(app)) {
            String gitDir = repo.getDirectory().toString();
            GitPush.Result fsck = GitPush.init().git("--git-dir=" + gitDir, "fsck", "--full", "--strict", "--no-dangling");
            assertThat(fsck.exit()).as(fsck.output()).isZero();
            return GitPush.init().git("--git-dir=" + gitDir, "log", "--format=%s", "main").output().lines().toList();
        }
    }

    private static App create(String name) {
        assertThat(api.post("/apps", "{\"name\":\"" + name + "\"}").status()).isEqualTo(201);
        api.patch("/apps/" + name + "/config-vars", "{\"BUILDPACK_URL\":\"file://" + buildpack.dir() + "\"}");
        UUID id = UUID.fromString(json(api.get("/apps/" + name)).get("id").asText());
        return new App(id, new AppName(name), Instant.now(), Instant.now());
    }

    private static void assertReleased(GitPush.Result push, String version) {
        assertThat(push.exit()).as(push.output()).isZero();
        assertThat(push.output()).contains("Released " + version);
    }

    private static String token() {
        return platform.adminToken();
    }

    private static Path home() {
        try {
            Path home = Files.createTempDirectory("slipway-git-home-");
            homes.add(home);
            return home;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
