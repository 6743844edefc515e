package io.slipway.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/** {@code config}, {@code config:set}, {@code config:get}, {@code config:unset} against a real platform. */
class ConfigCliTest extends AgainstPlatform {
    static final String PEM = """
            -----BEGIN PRIVATE KEY-----
            MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj
            MzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNbvJZHtCSuYEvu
            NMoSfm76oqFvAp8Gy0iEEXAMPLE+/==
            -----END PRIVATE KEY-----""";

    @BeforeEach
    void shopWithAGreeting() {
        slipway.ok("apps:create", "shop");
        slipway.ok("config:set", "-a", "shop", "GREETING=hello");
    }

    @Test
    void configGetReturnsMultiLineValueByteForByte() {
        slipway.ok("config:set", "-a", "shop", "PEM=" + PEM);
        assertThat(slipway.ok("config:get", "-a", "shop", "PEM").outBytes())
                .isEqualTo((PEM + "\n").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void configGetKeepsTrailingNewlinesCarriageReturnsAndSpaces() {
        String value = "  line one\r\nline two\n\n";
        slipway.ok("config:set", "-a", "shop", "ODD=" + value);
        assertThat(slipway.ok("config:get", "-a", "shop", "ODD").outBytes())
                .isEqualTo((value + "\n").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void utf8ValuesComeBackUnchanged() {
        String value = "héllo wörld ✓ 日本語 🚀";
        slipway.ok("config:set", "-a", "shop", "GREETING=" + value);
        assertThat(slipway.ok("config:get", "-a", "shop", "GREETING").outBytes())
                .isEqualTo((value + "\n").getBytes(StandardCharsets.UTF_8));
        assertThat(slipway.ok("config", "-a", "shop").out()).contains("GREETING: " + value + "\n");
    }

    @Test
    void aValueMayContainEqualsSigns() {
        String url = "postgres://user:pa=ss@db:5432/shop?sslmode=require&options=-c%20x=y";
        slipway.ok("config:set", "-a", "shop", "DATABASE_URL=" + url);
        assertThat(slipway.ok("config:get", "-a", "shop", "DATABASE_URL").out()).isEqualTo(url + "\n");
    }

    @Test
    void configSetSaysWhatItSetAndShowsTheValues() {
        SlipwayCli.Result r = slipway.ok("config:set", "-a", "shop", "A=1", "LONGER_KEY=two words");
        assertThat(r.out()).isEqualTo("""
                Setting A, LONGER_KEY and restarting shop... done
                A:          1
                LONGER_KEY: two words
                """);
        assertThat(configOf("shop")).containsExactly(entry("A", "1"), entry("GREETING", "hello"),
                entry("LONGER_KEY", "two words"));
    }

    @Test
    void configListsVarsSortedAndAlignedWithMultiLineValuesAsTheyAre() {
        slipway.ok("config:set", "-a", "shop", "PEM=" + PEM, "A=1");
        assertThat(slipway.ok("config", "-a", "shop").out()).isEqualTo(
                "=== shop Config Vars\n"
                        + "A:        1\n"
                        + "GREETING: hello\n"
                        + "PEM:      " + PEM + "\n");
    }

    @Test
    void configJsonIsTheApisMap() {
        slipway.ok("config:set", "-a", "shop", "PEM=" + PEM);
        assertThat(configOf("shop")).containsExactly(entry("GREETING", "hello"), entry("PEM", PEM));
    }

    @Test
    void configShellPrintsLinesAShellReadsBackExactly() throws Exception {
        String tricky = "it's $HOME `id` \\ \"quoted\"\nsecond line";
        slipway.ok("config:set", "-a", "shop", "PEM=" + PEM, "TRICKY=" + tricky);
        String shell = slipway.ok("config", "-a", "shop", "--shell").out();
        assertThat(shell).startsWith("GREETING='hello'\n");
        String printed = sh(shell + "printf '%s|%s|%s' \"$GREETING\" \"$PEM\" \"$TRICKY\"");
        assertThat(printed).isEqualTo("hello|" + PEM + "|" + tricky);
    }

    @Test
    void configUnsetRemovesOnlyTheNamedVars() {
        slipway.ok("config:set", "-a", "shop", "A=1", "B=2");
        SlipwayCli.Result r = slipway.ok("config:unset", "-a", "shop", "A", "GREETING");
        assertThat(r.out()).isEqualTo("Unsetting A, GREETING and restarting shop... done\n");
        assertThat(configOf("shop")).containsExactly(entry("B", "2"));
    }

    @Test
    void configGetOfAMissingKeyIsAnError() {
        SlipwayCli.Result r = slipway.run("config:get", "-a", "shop", "NOPE").failsWith(1, "NOPE", "shop");
        assertThat(r.out()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"1BAD", "A-B"})
    void keysThatAreNotShellIdentifiersAreRefusedAndNothingChanges(String key) {
        slipway.run("config:set", "-a", "shop", "OK=fine", key + "=x").failsWith(1, key, "shell identifier");
        assertThat(configOf("shop")).containsExactly(entry("GREETING", "hello"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"PORT", "DYNO", "SLIPWAY_X"})
    void keysThePlatformSetsItselfAreRefusedAndNothingChanges(String key) {
        slipway.run("config:set", "-a", "shop", key + "=1").failsWith(1, key, "platform");
        assertThat(configOf("shop")).containsExactly(entry("GREETING", "hello"));
    }

    @Test
    void aValueOver32KibIsRefusedAndNothingChanges() {
        slipway.run("config:set", "-a", "shop", "BIG=" + "x".repeat(33 * 1024)).failsWith(1, "BIG", "KiB");
        assertThat(configOf("shop")).containsExactly(entry("GREETING", "hello"));
    }

    @Test
    void anArgumentWithoutEqualsIsAUsageErrorAndNothingChanges() {
        slipway.run("config:set", "-a", "shop", "A=1", "GREETING").failsWith(2, "'GREETING'");
        assertThat(configOf("shop")).containsExactly(entry("GREETING", "hello"));
    }

    @Test
    void configOfAnUnknownAppIsAnError() {
        slipway.run("config", "-a", "nosuch").failsWith(1, "nosuch");
        slipway.run("config:set", "-a", "nosuch", "A=1").failsWith(1, "nosuch");
        slipway.run("config:unset", "-a", "nosuch", "A").failsWith(1, "nosuch");
        slipway.run("config:get", "-a", "nosuch", "A").failsWith(1, "nosuch");
    }

    @Test
    void slipwayAppNamesTheAppWhenNoOptionIsGiven() {
        assertThat(slipway.with("SLIPWAY_APP", "shop").ok("config:get", "GREETING").out()).isEqualTo("hello\n");
    }

    private static String sh(String script) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.getInputStream().transferTo(out);
        assertThat(p.waitFor()).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

}
