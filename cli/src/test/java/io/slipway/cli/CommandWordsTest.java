package io.slipway.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The words after {@code --} become one line for the dyno's {@code bash -c}, meaning what they meant here. */
class CommandWordsTest {

    @Test
    void plainWordsAreJoinedAsTheyAre() {
        assertThat(CommandWords.join(List.of("python", "manage.py", "migrate", "--noinput")))
                .isEqualTo("python manage.py migrate --noinput");
        assertThat(CommandWords.join(List.of("FOO=bar", "env"))).isEqualTo("FOO=bar env");
    }

    @Test
    void aSingleWordIsAWholeCommandLineSoAPipelineCanBeGivenInOneQuote() {
        assertThat(CommandWords.join(List.of("ls -1 | wc -l"))).isEqualTo("ls -1 | wc -l");
    }

    @Test
    void wordsWithSpacesOrShellCharactersAreQuotedAgain() {
        assertThat(CommandWords.join(List.of("echo", "a  b", "it's", "$HOME")))
                .isEqualTo("echo 'a  b' 'it'\\''s' '$HOME'");
    }

    @Test
    void nothingOrOnlyBlankWordsIsNoCommand() {
        assertThat(CommandWords.join(List.of())).isEmpty();
        assertThat(CommandWords.join(List.of(""))).isEmpty();
        assertThat(CommandWords.join(List.of(" ", ""))).isEmpty();
    }

    /** The real test: bash -c on the joined line hands the program exactly the words given. */
    @Test
    void bashHandsTheRemoteProgramTheSameArguments() throws Exception {
        List<String> arguments = List.of("a  b", "it's", "$HOME `id` $(id)", "*", "", "x;y|z&", "héllo ✓",
                "line\nbreak", "\"dq\"", "back\\slash", "--flag=1", "~");
        List<String> words = new ArrayList<>(List.of("printf", "[%s]\\n"));
        words.addAll(arguments);
        Process bash = new ProcessBuilder("bash", "-c", CommandWords.join(words)).redirectErrorStream(true).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        bash.getInputStream().transferTo(out);
        assertThat(bash.waitFor()).isZero();
        StringBuilder expected = new StringBuilder();
        arguments.forEach(a -> expected.append('[').append(a).append("]\n"));
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(expected.toString());
    }
}
