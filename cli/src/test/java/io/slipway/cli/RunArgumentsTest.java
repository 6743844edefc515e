package io.slipway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code slipway run}'s arguments, and {@code run --detached} (a plain POST), against a stand-in
 * that answers as the API contract says ({@code RunRequest} in, {@code RunView} out).
 */
class RunArgumentsTest {
    private static final String STARTED = """
            {"name":"run.4","state":"starting","command":"python backfill.py","release":"v3",
             "started_at":"2026-11-24T13:05:00Z"}""";

    @TempDir
    Path home;

    private StandInPlatform api;
    private SlipwayCli slipway;

    @BeforeEach
    void standIn() {
        api = new StandInPlatform();
        slipway = api.cli(home);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void detachedPostsTheRunAndSaysWhereItsOutputGoes() {
        api.answer("POST /apps/shop/dynos", 201, STARTED);
        SlipwayCli.Result r = slipway.ok("run", "--detached", "-a", "shop", "--", "python", "backfill.py");
        assertThat(r.out()).isEqualTo("""
                Running python backfill.py on shop... up, run.4
                Run slipway logs -a shop --ps run.4 to see the output.
                """);
        JsonNode sent = AgainstPlatform.json(api.only().body());
        assertThat(sent.get("command").asText()).isEqualTo("python backfill.py");
        assertThat(sent.get("attach").asBoolean()).isFalse();
        assertThat(sent.get("tty").asBoolean()).isFalse();
    }

    @Test
    void extraVariablesAndASizeGoWithTheRequest() {
        api.answer("POST /apps/shop/dynos", 201, STARTED);
        slipway.ok("run", "--detached", "-a", "shop", "-e", "A=1", "-e", "B=x=y", "--size", "performance", "--", "env");
        JsonNode sent = AgainstPlatform.json(api.only().body());
        assertThat(sent.get("env")).isEqualTo(AgainstPlatform.json("{\"A\":\"1\",\"B\":\"x=y\"}"));
        assertThat(sent.get("size").asText()).isEqualTo("performance");
    }

    @Test
    void fromTheCommandsFirstWordOnEveryWordIsTheCommandsOptionsIncluded() {
        api.answer("POST /apps/shop/dynos", 201, STARTED);
        slipway.ok("run", "--detached", "-a", "shop", "python", "x.py", "-a", "other", "--verbose");
        assertThat(AgainstPlatform.json(api.only().body()).get("command").asText())
                .isEqualTo("python x.py -a other --verbose");
    }

    @Test
    void quotedWordsKeepTheirQuotingForTheDynosShell() {
        api.answer("POST /apps/shop/dynos", 201, STARTED);
        slipway.ok("run", "--detached", "-a", "shop", "--", "echo", "a  b", "it's");
        assertThat(AgainstPlatform.json(api.only().body()).get("command").asText())
                .isEqualTo("echo 'a  b' 'it'\\''s'");
    }

    @Test
    void anEmptyCommandIsAUsageErrorAndAsksNothing() {
        slipway.run("run", "-a", "shop").failsWith(2, "no command to run", "run --help");
        slipway.run("run", "-a", "shop", "--").failsWith(2, "no command to run");
        slipway.run("run", "-a", "shop", "--", "").failsWith(2, "no command to run");
        slipway.run("run", "--detached", "-a", "shop", "--", " ").failsWith(2, "no command to run");
        assertThat(api.requests()).isEmpty();
    }

    @Test
    void anEnvArgumentWithoutEqualsIsAUsageError() {
        slipway.run("run", "-a", "shop", "-e", "MODE", "--", "env").failsWith(2, "-e 'MODE' is not KEY=VALUE");
        slipway.run("run", "-a", "shop", "-e", "=x", "--", "env").failsWith(2, "no key");
        assertThat(api.requests()).isEmpty();
    }

    @Test
    void aDetachedRunThePlatformRefusesIsItsMessage() {
        api.answer("POST /apps/shop/dynos", 422, "{\"id\":\"no_release\",\"message\":\"shop has no release yet\"}");
        SlipwayCli.Result r = slipway.run("run", "--detached", "-a", "shop", "--", "true")
                .failsWith(1, "shop has no release yet");
        assertThat(r.out()).isEqualTo("Running true on shop... !\n");
    }

    @Test
    void withoutAnAppTheErrorSaysHowToGiveOne() {
        slipway.run("run", "--", "true").failsWith(2, AppResolver.NO_APP);
    }
}
