package io.slipway.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A log line built as bytes reads as the same text a string would have given. */
class LineBufferTest {
    @Test
    void numbersAreWrittenInDecimal() {
        for (long n : new long[] {0, 7, 10, 1024, -1, -305, Long.MAX_VALUE, Long.MIN_VALUE}) {
            assertThat(new LineBuffer(1).append(n).toString()).isEqualTo(Long.toString(n));
        }
    }

    @Test
    void textBeyondAsciiIsWrittenAsUtf8InsideQuotesAndOut() {
        String text = "caf\u00e9 \u2603 \ud83d\ude80 /x";
        LineBuffer b = new LineBuffer(2).append(text).append(' ').append('\u00e9').append(" \"").quoted(text).append('"');
        assertThat(b.toString()).isEqualTo(text + " \u00e9 \"" + text + "\"");
        assertThat(new String(b.array(), 0, b.length(), StandardCharsets.UTF_8)).isEqualTo(b.toString());
    }

    @Test
    void aLineGrowsPastItsFirstCapacityAndClearingStartsAfresh() {
        LineBuffer b = new LineBuffer(4);
        String path = "/a".repeat(5000);
        b.append("path=\"").quoted(path).append('"');
        assertThat(b.toString()).isEqualTo("path=\"" + path + "\"");
        assertThat(b.clear().append("at=info").toString()).isEqualTo("at=info");
    }
}
