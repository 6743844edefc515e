package io.slipway.controller.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A container's output as Docker hands it over: frames cut anywhere, two streams, a resume point. */
class DockerLinesTest {
    private final List<String> got = new ArrayList<>();

    private DockerLines lines(LogFile.Cursor resume) {
        return new DockerLines(resume, (time, text) -> got.add(time + " " + text));
    }

    private static byte[] stream(int n, Instant t0) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 1; i <= n; i++) {
            out.writeBytes((t0.plusNanos(i * 1000L) + " línea " + i + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    @Test
    void framesCutAnywhereStillGiveWholeLinesWithTheirTimes() {
        Instant t0 = Instant.parse("2026-11-24T13:00:00Z");
        byte[] all = stream(2000, t0);
        Random random = new Random(42);
        DockerLines lines = lines(null);
        for (int at = 0; at < all.length; ) {
            int n = Math.min(all.length - at, 1 + random.nextInt(100));
            byte[] frame = new byte[n];
            System.arraycopy(all, at, frame, 0, n);
            lines.frame("stdout", frame);
            at += n;
        }
        assertThat(got).hasSize(2000);
        for (int i = 1; i <= 2000; i++) {
            assertThat(got.get(i - 1)).isEqualTo(t0.plusNanos(i * 1000L) + " línea " + i);
        }
    }

    @Test
    void stdoutAndStderrWaitForTheirOwnNewlines() {
        DockerLines lines = lines(null);
        lines.frame("stdout", "2026-11-24T13:00:00.1Z out ".getBytes(StandardCharsets.UTF_8));
        lines.frame("stderr", "2026-11-24T13:00:00.2Z err\n".getBytes(StandardCharsets.UTF_8));
        lines.frame("stdout", "continued\n2026-11-24T13:00:00.3Z no newline at the end".getBytes(StandardCharsets.UTF_8));
        lines.end();
        assertThat(got).containsExactly("2026-11-24T13:00:00.200Z err", "2026-11-24T13:00:00.100Z out continued",
                "2026-11-24T13:00:00.300Z no newline at the end");
    }

    @Test
    void aResumeSkipsWhatTheLogHasIncludingLinesAtTheSameInstant() {
        Instant t = Instant.parse("2026-11-24T13:00:05.000000007Z");
        DockerLines lines = lines(new LogFile.Cursor(t, 2));
        String s = "2026-11-24T13:00:04.9Z old\n"
                + t + " first at t\n"
                + t + " second at t\n"
                + t + " third at t\n"
                + "2026-11-24T13:00:06Z new\n";
        lines.frame("stdout", s.getBytes(StandardCharsets.UTF_8));
        assertThat(got).containsExactly(t + " third at t", "2026-11-24T13:00:06Z new");
    }

    @Test
    void aLineWithoutATimestampIsKeptWithTheTimeItArrived() {
        Instant before = Instant.now();
        lines(null).frame("stdout", "not a timestamp here\n".getBytes(StandardCharsets.UTF_8));
        assertThat(got).hasSize(1);
        assertThat(got.get(0)).endsWith(" not a timestamp here");
        assertThat(Instant.parse(got.get(0).substring(0, got.get(0).indexOf(' ')))).isAfterOrEqualTo(before);
    }
}
