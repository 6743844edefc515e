package io.slipway.router;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Values inside a log line's quotes cannot end the quotes or the line. */
class RequestLineTest {
    static String quoted(String s) {
        return new LineBuffer(4).append("path=\"").quoted(s).append('"').toString();
    }

    @Test
    void plainTextIsCopiedAsItIs() {
        assertThat(quoted("/cart?item=%22x%22&q=caf\u00e9")).isEqualTo("path=\"/cart?item=%22x%22&q=caf\u00e9\"");
        assertThat(quoted("")).isEqualTo("path=\"\"");
    }

    @Test
    void quotesBackslashesAndControlCharactersAreEscapedWhereverTheyAre() {
        assertThat(quoted("\"/a")).isEqualTo("path=\"\\\"/a\"");
        assertThat(quoted("/a\\b\"c")).isEqualTo("path=\"/a\\\\b\\\"c\"");
        assertThat(quoted("/a\nat=info fake=1\r\u007f")).isEqualTo("path=\"/a\\x0aat=info fake=1\\x0d\\x7f\"");
    }
}
