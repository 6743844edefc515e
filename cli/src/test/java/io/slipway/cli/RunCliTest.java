package io.slipway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code slipway run} against a real platform: one-off dynos in Docker from a release built by a
 * real push, attached through the real WebSocket.
 */
class RunCliTest extends AgainstDeployedShop {
    private static final String RUNNING = "Running %s on shop\\.\\.\\. up, run\\.\\d+\n";

    @Test
    void runTrueExitsZeroAndSaysWhichDynoRanIt() {
        SlipwayCli.Result r = slipway.run("run", "-a", "shop", "--", "true");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).matches(RUNNING.formatted("true"));
    }

    @Test
    void theCommandsExitCodeIsSlipways() {
        SlipwayCli.Result r = slipway.run("run", "-a", "shop", "--", "exit", "3");
        assertThat(r.exitCode()).as(r.err()).isEqualTo(3);
    }

    @Test
    void sizeGivesTheDynoThatSizesMemoryAndAnUnknownSizeIsRefused() {
        SlipwayCli.Result r = slipway.run("run", "-a", "shop", "--size", "performance", "--",
                "cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo((2048L << 20) + "\n");

        SlipwayCli.Result huge = slipway.run("run", "-a", "shop", "-s", "huge", "--", "true");
        assertThat(huge.exitCode()).isEqualTo(1);
        assertThat(huge.err()).contains("unknown dyno size 'huge'");
    }

    @Test
    void echoPrintsOnStdout() {
        SlipwayCli.Result r = slipway.run("run", "-a", "shop", "--", "echo", "hi");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("hi\n");
    }

    @Test
    void stderrStaysStderrAndOneQuotedWordIsAWholeCommandLine() {
        SlipwayCli.Result r = slipway.run("run", "-a", "shop", "--", "echo out; echo err >&2; exit 4");
        assertThat(r.exitCode()).as(r.err()).isEqualTo(4);
        assertThat(r.out()).isEqualTo("out\n");
        assertThat(r.err()).matches(RUNNING.formatted("echo out; echo err >&2; exit 4") + "err\n");
    }

    @Test
    void stdinIsPipedToTheCommand() {
        SlipwayCli.Result r = slipway.typing("abc\nsecond line\n").run("run", "-a", "shop", "--", "cat");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("abc\nsecond line\n");
    }

    @Test
    void argumentsArriveAsTheyWereQuotedHere() {
        SlipwayCli.Result r = slipway.run("run", "-a", "shop", "--", "printf", "[%s]\\n", "a  b", "it's", "$HOME");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("[a  b]\n[it's]\n[$HOME]\n");
    }

    @Test
    void theDynoHasTheReleasesConfigAndTheExtraVariables() {
        SlipwayCli.Result r = slipway.run("run", "-a", "shop", "-e", "EXTRA=x y", "--",
                "echo \"$GREETING|$EXTRA|$DYNO|$SLIPWAY_RELEASE\"");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).matches("hi there\\|x y\\|run\\.\\d+\\|v1\n");
    }

    @Test
    void detachedPrintsTheDynoAndReturnsWhileItRuns() {
        SlipwayCli.Result r = slipway.ok("run", "--detached", "-a", "shop", "--", "sleep", "2");
        assertThat(r.out()).matches("Running sleep 2 on shop\\.\\.\\. up, (run\\.\\d+)\n"
                + "Run slipway logs -a shop --ps \\1 to see the output\\.\n");
        String dyno = r.out().replaceAll("(?s).*up, (run\\.\\d+).*", "$1");
        assertThat(oneOffs()).contains(dyno);
        Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(oneOffs()).doesNotContain(dyno));
    }

    @Test
    void ctrlCStopsTheDynoAndExits130() throws Exception {
        FakeSignals signals = new FakeSignals();
        AtomicReference<SlipwayCli.Result> result = new AtomicReference<>();
        Thread cli = new Thread(() -> result.set(slipway.hearing(signals).run("run", "-a", "shop", "--", "sleep", "300")));
        cli.start();
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> !oneOffs().isEmpty());
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> signals.listening("INT"));
        signals.fire("INT");
        cli.join(Duration.ofSeconds(30).toMillis());
        assertThat(cli.isAlive()).isFalse();
        assertThat(result.get().exitCode()).as(result.get().err()).isEqualTo(AttachedRun.INTERRUPTED);
        Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(oneOffs()).isEmpty());
    }

    @Test
    void runOnAnAppWithNoReleaseSaysWhatToDo() {
        slipway.ok("apps:create", "empty");
        SlipwayCli.Result r = slipway.run("run", "-a", "empty", "--", "true");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).startsWith("Running true on empty... !\nslipway: ").contains("no release yet");
        assertThat(r.err().lines()).hasSize(2);
    }

    @Test
    void runOnAnUnknownAppSaysSo() {
        SlipwayCli.Result r = slipway.run("run", "-a", "nosuch", "--", "true");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).startsWith("Running true on nosuch... !\nslipway: ").contains("nosuch");
    }

    @Test
    void anEmptyCommandIsAUsageError() {
        slipway.run("run", "-a", "shop", "--").failsWith(2, "no command to run");
    }

    /** The one-off dynos {@code ps} lists for shop. */
    private static List<String> oneOffs() {
        List<String> names = new ArrayList<>();
        for (JsonNode dyno : json(slipway.ok("ps", "-a", "shop", "--json"))) {
            if (dyno.get("name").asText().startsWith("run.")) {
                names.add(dyno.get("name").asText());
            }
        }
        return names;
    }
}
