package io.slipway.cli;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code slipway logs} against a real platform: dyno output and platform events in one stream, and a live tail. */
class LogsCliTest extends AgainstDeployedShop {
    /** {@code 2026-11-24T13:00:00.123456+00:00 app[run.3]: text}, as Heroku writes it. */
    static final String LINE = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}\\+00:00 [a-z]+\\[[a-z0-9._-]+\\]: .*";

    @Test
    void aDetachedRunsOutputIsInTheLogsOfItsDyno() {
        // A command that ends at once: its last line must still reach the log.
        String dyno = detached("echo marker-one; echo marker-two");
        Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(slipway.ok("logs", "-a", "shop", "--ps", dyno).out()).contains("marker-two"));
        String out = slipway.ok("logs", "-a", "shop", "--ps", dyno, "--source", "app").out();
        assertThat(out.lines()).allMatch(line -> line.matches(LINE), "every line is time source[process]: text");
        assertThat(out).containsPattern("(?m)^\\S+ app\\[" + dyno.replace(".", "\\.") + "\\]: marker-one\n\\S+ app\\["
                + dyno.replace(".", "\\.") + "\\]: marker-two$");
    }

    @Test
    void minusNIsHowManyRecentLines() {
        String all = slipway.ok("logs", "-a", "shop").out();
        assertThat(all.lines().count()).as(all).isGreaterThan(3); // the build and release of the deploy, at least
        String three = slipway.ok("logs", "-a", "shop", "-n", "3").out();
        assertThat(three.lines()).hasSize(3).allMatch(line -> line.matches(LINE));
        assertThat(all).endsWith(three.substring(three.indexOf('\n') + 1)); // the newest ones (the first may have grown)
    }

    @Test
    void theSlipwaySourceIsThePlatformsEvents() {
        String events = slipway.ok("logs", "-a", "shop", "--source", "platform").out();
        assertThat(events).isNotEmpty();
        assertThat(events.lines()).allMatch(line -> line.matches("\\S+ slipway\\[[a-z0-9._-]+\\]: .*"));
    }

    @Test
    void aTailShowsANewLineAsItHappensAndCtrlCEndsItWithZero() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FakeSignals signals = new FakeSignals();
        AtomicInteger code = new AtomicInteger(-1);
        Thread tail = new Thread(() -> code.set(Main.run(context(out, signals), "logs", "-a", "shop", "--tail", "-n", "0")));
        tail.start();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> signals.listening("INT"));

        String dyno = detached("echo tailed-line");
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> out.toString(StandardCharsets.UTF_8)
                .contains("app[" + dyno + "]: tailed-line\n"));
        assertThat(tail.isAlive()).as("still tailing").isTrue();

        signals.fire("INT");
        tail.join(Duration.ofSeconds(10).toMillis());
        assertThat(tail.isAlive()).as("Ctrl-C ended the tail").isFalse();
        assertThat(code.get()).isZero();
    }

    @Test
    void logsOfAnUnknownAppSaySo() {
        slipway.run("logs", "-a", "nosuch").failsWith(1, "nosuch");
    }

    /** Starts a detached one-off dyno; its name. */
    private static String detached(String command) {
        String out = slipway.ok("run", "--detached", "-a", "shop", "--", command).out();
        return out.replaceAll("(?s).*up, (run\\.\\d+).*", "$1");
    }

    private static CliContext context(ByteArrayOutputStream out, Signals signals) {
        Map<String, String> env = new HashMap<>(slipway.env());
        return new CliContext(env, platform.home(), new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()),
                Optional.empty(), Clock.systemUTC(), Optional.empty(), signals);
    }
}
