package io.slipway.controller.heroku;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The rendezvous sends its own exit status line only when the dyno's output had none, however it was split. */
class ExitStatusSeenTest {
    @Test
    void aStatusLineSplitAcrossReadsIsSeen() {
        byte[] line = ("out\n" + Rendezvous.EXIT_STATUS + "0\n").getBytes(StandardCharsets.UTF_8);
        for (int cut = 0; cut <= line.length; cut++) {
            var seen = new Rendezvous.ExitStatusSeen();
            seen.scan(java.util.Arrays.copyOfRange(line, 0, cut));
            seen.scan(java.util.Arrays.copyOfRange(line, cut, line.length));
            assertThat(seen.seen()).as("cut at %d", cut).isTrue();
        }
    }

    @Test
    void outputWithoutOneIsNotTakenForIt() {
        var seen = new Rendezvous.ExitStatusSeen();
        seen.scan("heroku-command-exit".getBytes(StandardCharsets.UTF_8));
        seen.scan("-stat us: 3\n".getBytes(StandardCharsets.UTF_8));
        assertThat(seen.seen()).isFalse();
    }
}
