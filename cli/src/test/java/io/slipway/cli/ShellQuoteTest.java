package io.slipway.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ShellQuoteTest {

    @Test
    void aPlainValueIsSingleQuoted() {
        assertThat(ShellQuote.assignment("GREETING", "hello")).isEqualTo("GREETING='hello'");
    }

    @Test
    void aSingleQuoteClosesEscapesAndReopens() {
        assertThat(ShellQuote.quote("it's")).isEqualTo("'it'\\''s'");
    }

    /** The real test of quoting: a POSIX shell reads the line back to the same bytes. */
    @ParameterizedTest
    @ValueSource(strings = {"hello", "it's", "$HOME `id` $(id) \\n \\", "a\nb\n", "'", "''", "",
            "héllo wörld ✓", "x=y; rm -rf /tmp/nothing-here", "\"double\" 'single'", "*?[a] ~ !"})
    void aShellEvaluatingTheLineGetsTheValueBackByteForByte(String value) throws Exception {
        String script = ShellQuote.assignment("V", value) + "\nprintf '%s' \"$V\"\n";
        assertThat(sh(script)).isEqualTo(value);
    }

    private static String sh(String script) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.getInputStream().transferTo(out);
        assertThat(p.waitFor()).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }
}
