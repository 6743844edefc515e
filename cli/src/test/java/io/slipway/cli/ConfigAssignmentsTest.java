package io.slipway.cli;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.entry;

class ConfigAssignmentsTest {

    @Test
    void keyEndsAtTheFirstEqualsSignAndTheValueKeepsTheRest() {
        assertThat(ConfigAssignments.parse(List.of("DATABASE_URL=postgres://u:p@h/db?sslmode=require&a=b")))
                .containsExactly(entry("DATABASE_URL", "postgres://u:p@h/db?sslmode=require&a=b"));
    }

    @Test
    void valuesKeepNewlinesSpacesAndQuotesExactly() {
        String pem = "-----BEGIN KEY-----\nabc=\n  'x' \"y\"\r\n-----END KEY-----\n";
        assertThat(ConfigAssignments.parse(List.of("PEM=" + pem))).containsExactly(entry("PEM", pem));
    }

    @Test
    void anEmptyValueIsAValue() {
        assertThat(ConfigAssignments.parse(List.of("EMPTY="))).containsExactly(entry("EMPTY", ""));
    }

    @Test
    void assignmentsKeepTheirOrderAndTheLastOfARepeatedKeyWins() {
        assertThat(ConfigAssignments.parse(List.of("B=1", "A=2", "B=3")))
                .containsExactly(entry("A", "2"), entry("B", "3"));
    }

    @Test
    void anArgumentWithoutEqualsIsRefusedByName() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ConfigAssignments.parse(List.of("A=1", "GREETING")))
                .withMessageContaining("'GREETING'")
                .withMessageContaining("KEY=VALUE");
    }

    @Test
    void anArgumentWithNothingBeforeEqualsIsRefused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ConfigAssignments.parse(List.of("=value")))
                .withMessageContaining("'=value'")
                .withMessageContaining("no key");
    }

    @Test
    void aRefusedArgumentIsShownOnOneShortLine() {
        String shown = ConfigAssignments.printable("line1\nline2\t" + "x".repeat(100));
        assertThat(shown).doesNotContain("\n", "\t").startsWith("line1\\nline2\\t").endsWith("…");
        assertThat(shown.codePointCount(0, shown.length())).isLessThanOrEqualTo(70);
    }
}
