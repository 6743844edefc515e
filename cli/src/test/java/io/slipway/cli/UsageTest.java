package io.slipway.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What the CLI says before it talks to any platform: help, usage errors, completion. */
class UsageTest {
    @TempDir
    Path home;

    private SlipwayCli cli() {
        return SlipwayCli.withEnv(Map.of("SLIPWAY_HOME", home.toString(),
                "GIT_CEILING_DIRECTORIES", home.getParent().toString()), home);
    }

    @ParameterizedTest
    @ValueSource(strings = {"apps", "apps:create", "apps:info", "apps:destroy", "config", "config:set",
            "config:unset", "config:get", "login", "logout", "whoami", "version", "completion", "git:remote",
            "git:credential", "builds", "releases", "releases:info", "rollback", "ps", "ps:scale", "ps:restart",
            "ps:stop", "domains", "domains:add", "domains:remove", "run", "logs", "schedules", "schedules:add",
            "schedules:remove", "schedules:history"})
    void everyVerbExplainsItselfWithHelp(String verb) {
        SlipwayCli.Result r = cli().ok(verb, "--help");
        assertThat(r.out()).startsWith("Usage: slipway " + verb).contains("--help");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void theBareCommandListsEveryVerb() {
        assertThat(cli().ok().out()).contains("apps:create", "config:get", "login", "completion", "SLIPWAY_API_URL",
                "git:remote", "builds", "releases:info", "rollback", "ps:scale", "ps:restart", "ps:stop",
                "domains:add", "domains:remove", "run", "logs", "schedules:add", "schedules:remove",
                "schedules:history");
    }

    @Test
    void anUnknownVerbIsAUsageErrorThatSuggestsTheNearestOne() {
        cli().run("aps").failsWith(2, "'aps'", "apps", "slipway --help");
    }

    @Test
    void aConfigSetArgumentWithoutEqualsIsAUsageErrorNamingIt() {
        cli().run("config:set", "-a", "shop", "A=1", "GREETING").failsWith(2, "'GREETING'", "KEY=VALUE");
    }

    @Test
    void jsonAndShellTogetherAreAUsageError() {
        cli().run("config", "-a", "shop", "--json", "--shell").failsWith(2, "--json", "--shell");
    }

    @Test
    void withoutAnAppAnywhereTheErrorSaysHowToGiveOne() {
        cli().run("config").failsWith(2, AppResolver.NO_APP);
    }

    @ParameterizedTest
    @ValueSource(strings = {"builds", "releases", "ps", "ps:restart", "domains", "rollback", "logs", "schedules",
            "schedules:history"})
    void appVerbsWithoutAnAppSayHowToGiveOne(String verb) {
        cli().run(verb).failsWith(2, AppResolver.NO_APP);
    }

    @Test
    void verbsMissingTheirArgumentAreUsageErrors() {
        cli().run("releases:info", "-a", "shop").failsWith(2, "vN", "releases:info --help");
        cli().run("ps:scale", "-a", "shop").failsWith(2, "TYPE=N[:SIZE]", "ps:scale --help");
        cli().run("ps:stop", "-a", "shop").failsWith(2, "DYNO");
        cli().run("domains:add", "-a", "shop").failsWith(2, "HOSTNAME");
        cli().run("domains:remove", "-a", "shop").failsWith(2, "HOSTNAME");
        cli().run("git:credential").failsWith(2, "ACTION");
        cli().run("schedules:remove", "-a", "shop").failsWith(2, "ID");
        cli().run("schedules:add", "-a", "shop", "--", "true").failsWith(2, "--cron");
    }

    @Test
    void destroyWithoutConfirmRefusesBeforeAskingThePlatform() {
        // No platform is running here: the refusal must come first, and must not be "cannot reach".
        cli().run("apps:destroy", "shop").failsWith(1, "re-run with --confirm shop");
    }

    @Test
    void destroyGivenTwoDifferentNamesIsAUsageError() {
        cli().run("apps:destroy", "shop", "-a", "other", "--confirm", "shop").failsWith(2, "shop", "other");
    }

    @Test
    void anArgumentStartingWithAtIsDataNotAnArgumentFile() {
        SlipwayCli.Result r = cli().run("config:get", "-a", "shop", "@nonexistent-file");
        assertThat(r.err()).doesNotContain("nonexistent-file: No such file");
        assertThat(r.exitCode()).isEqualTo(1); // no platform here: it got as far as needing a token
    }

    @Test
    void theCompletionScriptCoversEveryVerb() {
        String script = cli().ok("completion").out();
        assertThat(script).startsWith("#!/usr/bin/env bash")
                .contains("apps:create", "apps:destroy", "config:set", "config:get", "whoami", "git:remote",
                        "releases:info", "ps:scale", "domains:remove", "run", "logs", "schedules:add")
                .contains("complete -F");
    }

    @Test
    void bashCompletesVerbsPastTheColon() throws Exception {
        String script = cli().ok("completion").out();
        // What bash hands a completer for `slipway apps:c<TAB>`: ':' splits the words.
        String complete = script + """
                COMP_LINE='slipway apps:c'; COMP_POINT=${#COMP_LINE}
                COMP_WORDS=(slipway apps : c); COMP_CWORD=3
                _complete_slipway_colon_verbs slipway c :
                printf '%s\n' "${COMPREPLY[@]}"
                """;
        Process bash = new ProcessBuilder("bash", "-c", complete).redirectErrorStream(true).start();
        String replies = new String(bash.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(bash.waitFor()).isZero();
        assertThat(replies.lines()).containsExactly("create");
    }

    @Test
    void theCompletionHelpSaysHowToLoadIt() {
        assertThat(cli().ok("completion", "--help").out()).contains("source <(slipway completion)");
    }

    @Test
    void versionWithoutAPlatformStillPrintsTheCliVersion() {
        SlipwayCli.Result r = cli().with("SLIPWAY_API_PORT", String.valueOf(io.slipway.controller.testing.TestPlatform.freePort()))
                .ok("version");
        assertThat(r.out()).startsWith("slipway-cli/").contains("platform: not reachable at http://127.0.0.1:");
    }
}
