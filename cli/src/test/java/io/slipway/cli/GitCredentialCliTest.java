package io.slipway.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code slipway git:credential get|store|erase}: the credential helper as git runs it, on stdin and stdout. */
class GitCredentialCliTest {
    @TempDir
    Path home;

    private SlipwayCli helper(Map<String, String> env) {
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("SLIPWAY_HOME", home.toString());
        return SlipwayCli.withEnv(all, home);
    }

    private SlipwayCli loggedInTo(String url) {
        return helper(Map.of("SLIPWAY_API_URL", url, "SLIPWAY_API_TOKEN", "tok-123"));
    }

    @Test
    void getForThePlatformAnswersWithTheToken() {
        SlipwayCli.Result r = loggedInTo("http://127.0.0.1:5050")
                .typing("protocol=http\nhost=127.0.0.1:5050\nusername=slipway\n\n").ok("git:credential", "get");
        assertThat(r.out()).isEqualTo("username=slipway\npassword=tok-123\n");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void getOnThePlatformsHostUsesTheAdminTokenLikeEveryOtherVerb() throws Exception {
        Files.writeString(home.resolve("admin-token"), "admin-tok\n");
        SlipwayCli.Result r = helper(Map.of("SLIPWAY_API_PORT", "5099"))
                .typing("protocol=http\nhost=127.0.0.1:5099\n\n").ok("git:credential", "get");
        assertThat(r.out()).isEqualTo("username=slipway\npassword=admin-tok\n");
    }

    @Test
    void getForAnyOtherHostAnswersNothing() {
        SlipwayCli.Result r = loggedInTo("http://127.0.0.1:5050")
                .typing("protocol=https\nhost=github.com\nusername=me\n\n").ok("git:credential", "get");
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEmpty();
    }

    @Test
    void getForAnotherHostNeedsNoTokenAtAll() {
        // Nothing is logged in and no platform runs: a question about github.com is still no error.
        SlipwayCli.Result r = helper(Map.of()).typing("protocol=https\nhost=github.com\n\n").ok("git:credential", "get");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void getForThePlatformWithoutAnyTokenSaysSoOnStderrForGitToShow() {
        SlipwayCli.Result r = helper(Map.of()).typing("protocol=http\nhost=127.0.0.1:5050\n\n").run("git:credential", "get");
        r.failsWith(1, "no API token for the local platform");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void storeAndEraseDoNothing() {
        for (String action : new String[] {"store", "erase", "some-future-action"}) {
            SlipwayCli.Result r = loggedInTo("http://127.0.0.1:5050")
                    .typing("protocol=http\nhost=127.0.0.1:5050\nusername=slipway\npassword=tok-123\n\n")
                    .ok("git:credential", action);
            assertThat(r.out()).as(action).isEmpty();
        }
    }

    @Test
    void theHelperIsHiddenFromTheListOfVerbs() {
        assertThat(helper(Map.of()).ok("--help").out()).contains("git:remote").doesNotContain("git:credential");
    }

    @Test
    void gitRemoteOutsideARepositorySaysSoAndChangesNothing() {
        loggedInTo("http://127.0.0.1:5050").with("GIT_CEILING_DIRECTORIES", home.getParent().toString())
                .with(GitCommands.LAUNCHER_VARIABLE, "/bin/true")
                .run("git:remote", "-a", "shop").failsWith(1, "is not inside a git repository", "git init");
    }

    @Test
    void gitRemoteWithoutALauncherSaysHowToRunIt() throws Exception {
        Git.init(home);
        loggedInTo("http://127.0.0.1:5050").with("GIT_CEILING_DIRECTORIES", home.getParent().toString())
                .run("git:remote", "-a", "shop").failsWith(1, "SLIPWAY_SCRIPT is not set", "./slipway");
    }

    @Test
    void gitRemoteWarnsWhenTheGitUrlIsNotOnTheApiItHoldsATokenFor() throws Exception {
        Git.init(home);
        try (StandInPlatform api = new StandInPlatform()) {
            api.answer("GET /apps/shop", 200, """
                    {"name":"shop","git_url":"http://0.0.0.0:5050/git/shop.git","web_url":"http://shop.localhost:8080/"}""");
            SlipwayCli.Result r = api.cli(home).with(GitCommands.LAUNCHER_VARIABLE, "/bin/true").ok("git:remote", "-a", "shop");
            assertThat(r.out()).isEqualTo("set git remote slipway to http://0.0.0.0:5050/git/shop.git\n");
            assertThat(r.err()).startsWith("slipway: warning: shop's git URL http://0.0.0.0:5050/git/shop.git is not on the API URL http://127.0.0.1:")
                    .endsWith("so git will not get the token from slipway\n");
        }
    }

    @Test
    void gitRemoteRefusesARelativeLauncher() throws Exception {
        Git.init(home);
        loggedInTo("http://127.0.0.1:5050").with("GIT_CEILING_DIRECTORIES", home.getParent().toString())
                .with(GitCommands.LAUNCHER_VARIABLE, "slipway")
                .run("git:remote", "-a", "shop").failsWith(1, "SLIPWAY_SCRIPT=slipway", "absolute path");
    }
}
