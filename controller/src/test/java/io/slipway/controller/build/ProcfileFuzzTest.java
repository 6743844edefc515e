package io.slipway.controller.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.controller.http.ApiException;
import io.slipway.controller.http.StorableText;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random Procfiles, biased towards what breaks parsers and databases (NUL, lone and paired
 * surrogates, U+FFFD, colons, line ends): whatever the text, the result is process types the
 * database can store, or a refusal whose message it can store. Seeded, bounded, repeatable.
 */
class ProcfileFuzzTest {
    private static final String[] PIECES = {"web", "worker", ":", ": ", " ", "\t", "\n", "\r\n", "\r", "#", "python app.py",
            "\0", "\uD800", "\uDC00", "\uD83D\uDE00", "\uFFFD", "é", "Web", "-", "_", "$PORT", "a".repeat(40)};

    @Test
    void anyTextParsesToStorableTypesOrIsRefusedWithAStorableMessage() {
        Random random = new Random(13);
        int parsed = 0;
        int refused = 0;
        for (int i = 0; i < 50_000; i++) {
            StringBuilder text = new StringBuilder();
            for (int n = random.nextInt(12); n > 0; n--) {
                text.append(PIECES[random.nextInt(PIECES.length)]);
            }
            try {
                Procfile p = Procfile.parse(text.toString());
                p.processTypes().forEach((type, command) -> {
                    assertThat(type).matches(Procfile.TYPE_NAME);
                    assertThat(StorableText.problem(command)).as(command).isNull();
                    assertThat(command).doesNotContain("\uFFFD");
                });
                parsed++;
            } catch (ApiException e) {
                assertThat(StorableText.problem(e.getMessage())).as(e.getMessage()).isNull();
                assertThat(e.getMessage()).startsWith("Procfile line ");
                refused++;
            }
        }
        assertThat(parsed).isPositive();
        assertThat(refused).isPositive();
    }

    @Test
    void scrubbedTextIsAlwaysStorableAndStorableTextIsLeftAlone() {
        Random random = new Random(7);
        for (int i = 0; i < 50_000; i++) {
            char[] chars = new char[random.nextInt(8)];
            for (int c = 0; c < chars.length; c++) {
                chars[c] = switch (random.nextInt(4)) {
                    case 0 -> (char) random.nextInt(0x80);
                    case 1 -> (char) (0xD800 + random.nextInt(0x800)); // surrogates, paired or not
                    case 2 -> '\0';
                    default -> (char) random.nextInt(0x10000);
                };
            }
            String s = new String(chars);
            String scrubbed = StorableText.scrub(s);
            assertThat(StorableText.problem(scrubbed)).isNull();
            assertThat(scrubbed.equals(s)).isEqualTo(StorableText.problem(s) == null);
            assertThat(scrubbed).hasSameSizeAs(s);
        }
    }
}
