package io.slipway.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AppResolverTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({
            "http://127.0.0.1:5050/git/shop.git, shop",
            "https://paas.example.com/git/billing-api.git, billing-api",
            "http://user:token@host:5050/git/shop.git, shop",
            "http://host/prefix/git/shop.git/, shop",
    })
    void theAppIsTheNameInAGitRemoteUrl(String url, String app) {
        assertThat(AppResolver.appFromRemoteUrl(url)).contains(app);
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://github.com/acme/shop.git", "http://host/git/", "http://host/git/.git",
            "http://host/git/shop", "git@host:shop.git", ""})
    void otherRemotesNameNoApp(String url) {
        assertThat(AppResolver.appFromRemoteUrl(url)).isEmpty();
    }

    @Test
    void theAppOptionWinsOverTheEnvironmentAndTheRemote() throws Exception {
        Git.init(dir).remote("slipway", "http://127.0.0.1:5050/git/from-remote.git");
        CliContext ctx = context(Map.of("SLIPWAY_APP", "from-env"));
        assertThat(AppResolver.resolve("from-flag", ctx)).contains("from-flag");
    }

    @Test
    void slipwayAppWinsOverTheRemote() throws Exception {
        Git.init(dir).remote("slipway", "http://127.0.0.1:5050/git/from-remote.git");
        assertThat(AppResolver.resolve(null, context(Map.of("SLIPWAY_APP", "from-env")))).contains("from-env");
    }

    @Test
    void theSlipwayRemoteOfTheWorkingDirectoryNamesTheApp() throws Exception {
        Git.init(dir).remote("origin", "https://example.com/acme/other.git")
                .remote("slipway", "http://127.0.0.1:5050/git/from-remote.git");
        assertThat(AppResolver.resolve(null, context(Map.of()))).contains("from-remote");
    }

    @Test
    void aSubdirectoryOfTheCheckoutFindsTheSameRemote() throws Exception {
        Git.init(dir).remote("slipway", "http://127.0.0.1:5050/git/shop.git");
        Path sub = java.nio.file.Files.createDirectories(dir.resolve("src/main"));
        CliContext ctx = new CliContext(env(Map.of()), sub, new ByteArrayInputStream(new byte[0]),
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream()));
        assertThat(AppResolver.resolve(null, ctx)).contains("shop");
    }

    @Test
    void outsideACheckoutNothingNamesTheApp() {
        assertThat(AppResolver.resolve(null, context(Map.of()))).isEmpty();
    }

    @Test
    void aCheckoutWithoutASlipwayRemoteNamesNoApp() throws Exception {
        Git.init(dir).remote("origin", "http://127.0.0.1:5050/git/shop.git");
        assertThat(AppResolver.resolve(null, context(Map.of()))).isEmpty();
    }

    private CliContext context(Map<String, String> vars) {
        return new CliContext(env(vars), dir, new ByteArrayInputStream(new byte[0]),
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream()));
    }

    private Map<String, String> env(Map<String, String> vars) {
        Map<String, String> env = new HashMap<>(vars);
        env.put("PATH", System.getenv("PATH"));
        env.put("HOME", dir.toString());
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        // Stop git looking above the temp dir, in case /tmp itself sits in a checkout.
        env.put("GIT_CEILING_DIRECTORIES", dir.getParent().toString());
        return env;
    }
}
