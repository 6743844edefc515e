package io.slipway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.controller.testing.TestPlatform;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code slipway run} attached, against a stand-in attach endpoint that speaks the protocol over a
 * real WebSocket: what the CLI sends, how it routes what comes back, its exit code, and the
 * terminal put back on every way out.
 */
class AttachedRunTest {
    @TempDir
    Path home;

    private StandInRunServer server;
    private SlipwayCli slipway;
    private final FakeSignals signals = new FakeSignals();

    @BeforeEach
    void standIn() {
        server = new StandInRunServer();
        slipway = server.cli(home).hearing(signals);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void theRunRequestGoesFirstThenOutputComesBackOnItsStreamAndTheExitCodeIsSlipways() throws Exception {
        server.script(run -> {
            JsonNode request = AgainstPlatform.json(run.text());
            assertThat(request.get("command").asText()).isEqualTo("python manage.py migrate");
            assertThat(request.get("attach").asBoolean()).isTrue();
            assertThat(request.get("tty").asBoolean()).isFalse();
            assertThat(request.get("env").get("MODE").asText()).isEqualTo("fast");
            run.sendText("{\"dyno\":\"run.4\"}");
            run.send(RunProtocol.STDOUT, "Applying migrations...\n");
            run.send(RunProtocol.STDERR, "warning: slow\n");
            run.send(RunProtocol.STDOUT, "done\n");
            assertThat(run.binary().channel()).isEqualTo(RunProtocol.STDIN_EOF);
            run.sendText("{\"exit\": 3}");
            run.close();
        });
        SlipwayCli.Result r = slipway.run("run", "-a", "shop", "-e", "MODE=fast", "--", "python", "manage.py", "migrate");
        server.verify();
        assertThat(r.exitCode()).as(r.err()).isEqualTo(3);
        assertThat(r.out()).isEqualTo("Applying migrations...\ndone\n");
        assertThat(r.err()).isEqualTo("Running python manage.py migrate on shop... up, run.4\nwarning: slow\n");
        assertThat(server.authorization()).isEqualTo("Bearer tok-123");
    }

    @Test
    void stdinIsPipedToTheCommandAndItsEndIsSent() throws Exception {
        server.script(run -> {
            run.text();
            run.sendText("{\"dyno\":\"run.1\"}");
            StringBuilder stdin = new StringBuilder();
            while (true) {
                StandInRunServer.Binary frame = run.binary();
                if (frame.channel() == RunProtocol.STDIN_EOF) {
                    assertThat(frame.bytes()).hasSize(1);
                    break;
                }
                assertThat(frame.channel()).isEqualTo(RunProtocol.STDIN);
                stdin.append(frame.payload());
            }
            run.send(RunProtocol.STDOUT, stdin.toString());
            run.sendText("{\"exit\":0}");
            run.close();
        });
        SlipwayCli.Result r = slipway.typing("abc\nhéllo\n").run("run", "-a", "shop", "--", "cat");
        server.verify();
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("abc\nhéllo\n");
    }

    @Test
    void aRunRefusedBeforeTheDynoStartsIsOneSlipwayLineAndExit1() throws Exception {
        server.script(run -> {
            run.text();
            run.sendText("{\"error\":{\"id\":\"no_release\",\"message\":\"shop has no release yet: "
                    + "git push slipway main first\"}}");
            run.close();
        });
        SlipwayCli.Result r = slipway.run("run", "-a", "shop", "--", "true");
        server.verify();
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("Running true on shop... !\nslipway: shop has no release yet: git push slipway main first\n");
    }

    @Test
    void aConnectionLostMidRunSaysTheDynoWasStopped() throws Exception {
        server.script(run -> {
            run.text();
            run.sendText("{\"dyno\":\"run.4\"}");
            // What the CLI sent is read first: a socket closed with unread bytes is reset, and the
            // reset can discard the unread "half" on the CLI's side before it is shown.
            assertThat(run.binary().channel()).isEqualTo(RunProtocol.STDIN_EOF);
            run.send(RunProtocol.STDOUT, "half");
            Thread.sleep(200); // output that came before the loss is shown; the loss itself is the test
            run.drop();
        });
        SlipwayCli.Result r = slipway.run("run", "-a", "shop", "--", "sleep", "60");
        server.verify();
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).isEqualTo("half");
        assertThat(r.err()).endsWith("\nslipway: lost the connection to the platform; run.4 was stopped\n");
    }

    @Test
    void ctrlCClosesTheConnectionWhichStopsTheDynoAndExits130() throws Exception {
        server.script(run -> {
            run.text();
            run.sendText("{\"dyno\":\"run.2\"}");
            // Stdin's end comes only after the CLI has said "up": Ctrl-C now is Ctrl-C on a running dyno.
            // (Fired at once, it could beat the CLI to the dyno message and read as a Ctrl-C before "up".)
            assertThat(run.binary().channel()).isEqualTo(RunProtocol.STDIN_EOF);
            assertThat(signals.fire("INT")).as("listening for Ctrl-C").isTrue();
            assertThat(run.closed().code()).isEqualTo(1000);
            run.close();
        });
        SlipwayCli.Result r = slipway.typing("").run("run", "-a", "shop", "--", "sleep", "60");
        server.verify();
        assertThat(r.exitCode()).isEqualTo(AttachedRun.INTERRUPTED);
        assertThat(r.err()).isEqualTo("Running sleep 60 on shop... up, run.2\n");
        assertThat(signals.listening("INT")).as("the Ctrl-C handler is given back").isFalse();
    }

    @Test
    void ctrlCBeforeTheDynoIsUpEndsTheLineAndExits130() throws Exception {
        server.script(run -> {
            run.text();
            assertThat(signals.fire("INT")).as("listening for Ctrl-C").isTrue();
            assertThat(run.closed().code()).isEqualTo(1000);
        });
        SlipwayCli.Result r = slipway.run("run", "-a", "shop", "--", "sleep", "60");
        server.verify();
        assertThat(r.exitCode()).isEqualTo(AttachedRun.INTERRUPTED);
        assertThat(r.err()).isEqualTo("Running sleep 60 on shop... interrupted\n");
    }

    @Test
    void anUpgradeThePlatformRefusesIsItsMessage() {
        SlipwayCli.Result r = slipway.run("run", "-a", "nosuch", "--", "true");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("Running true on nosuch... !\nslipway: no app 'nosuch'; 'slipway apps' lists them\n");
    }

    @Test
    void anUnreachablePlatformSaysSo() {
        SlipwayCli.Result r = slipway.with("SLIPWAY_API_URL", "http://127.0.0.1:" + TestPlatform.freePort())
                .run("run", "-a", "shop", "--", "true");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("slipway: cannot reach the platform at http://127.0.0.1:");
    }

    @Test
    void onATerminalTheDynoGetsATtyOfItsSizeAndKeysGoToItRawUntilTheEnd() throws Exception {
        FakeTty tty = new FakeTty(120, 40);
        server.script(run -> {
            JsonNode request = AgainstPlatform.json(run.text());
            assertThat(request.get("tty").asBoolean()).isTrue();
            assertThat(request.get("columns").asInt()).isEqualTo(120);
            assertThat(request.get("lines").asInt()).isEqualTo(40);
            run.sendText("{\"dyno\":\"run.7\"}");
            StandInRunServer.Binary size = run.binary();
            assertThat(size.channel()).as("the TTY is sized first").isEqualTo(RunProtocol.RESIZE);
            assertThat(size.payload()).isEqualTo("120 40");
            // Ctrl-C typed on a raw terminal is a byte for the remote program, not a signal here.
            StandInRunServer.Binary key = run.binary();
            assertThat(key.channel()).isEqualTo(RunProtocol.STDIN);
            assertThat(key.payload()).isEqualTo("\u0003");
            assertThat(tty.events()).containsExactly("raw");
            run.send(RunProtocol.STDOUT, "^C\r\n");
            run.sendText("{\"exit\":130}");
            run.close();
        });
        SlipwayCli.Result r = slipway.onTerminal(tty).typing("\u0003").run("run", "-a", "shop", "--", "bash");
        server.verify();
        assertThat(r.exitCode()).isEqualTo(130);
        assertThat(r.out()).isEqualTo("^C\r\n");
        assertThat(tty.events()).containsExactly("raw", "restored");
    }

    @Test
    void aResizedTerminalResizesTheDynosTty() throws Exception {
        FakeTty tty = new FakeTty(80, 24);
        server.script(run -> {
            run.text();
            run.sendText("{\"dyno\":\"run.7\"}");
            assertThat(nextNot(run, RunProtocol.STDIN_EOF).payload()).isEqualTo("80 24");
            tty.resize(132, 50);
            assertThat(signals.fire("WINCH")).as("listening for resizes").isTrue();
            StandInRunServer.Binary resize = nextNot(run, RunProtocol.STDIN_EOF);
            assertThat(resize.channel()).isEqualTo(RunProtocol.RESIZE);
            assertThat(resize.payload()).isEqualTo("132 50");
            run.sendText("{\"exit\":0}");
            run.close();
        });
        SlipwayCli.Result r = slipway.onTerminal(tty).run("run", "-a", "shop", "--", "bash");
        server.verify();
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(signals.listening("WINCH")).isFalse();
    }

    @Test
    void theTerminalIsPutBackWhenTheRunFailsAfterStarting() throws Exception {
        FakeTty tty = new FakeTty(80, 24);
        server.script(run -> {
            run.text();
            run.sendText("{\"dyno\":\"run.3\"}");
            await().atMost(Duration.ofSeconds(5)).until(tty::isRaw);
            run.sendText("{\"error\":{\"id\":\"timed_out\",\"message\":\"run.3 ran longer than 1h and was stopped\"}}");
            run.close();
        });
        SlipwayCli.Result r = slipway.onTerminal(tty).run("run", "-a", "shop", "--", "bash");
        server.verify();
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).endsWith("up, run.3\nslipway: run.3 ran longer than 1h and was stopped\n");
        assertThat(tty.events()).containsExactly("raw", "restored");
    }

    @Test
    void theTerminalIsPutBackWhenTheConnectionDrops() throws Exception {
        FakeTty tty = new FakeTty(80, 24);
        server.script(run -> {
            run.text();
            run.sendText("{\"dyno\":\"run.3\"}");
            await().atMost(Duration.ofSeconds(5)).until(tty::isRaw);
            run.drop();
        });
        SlipwayCli.Result r = slipway.onTerminal(tty).run("run", "-a", "shop", "--", "bash");
        server.verify();
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).endsWith("slipway: lost the connection to the platform; run.3 was stopped\n");
        assertThat(tty.events()).containsExactly("raw", "restored");
    }

    @Test
    void theTerminalIsPutBackWhenTheCliIsInterruptedMidRun() throws Exception {
        FakeTty tty = new FakeTty(80, 24);
        Thread cli = Thread.currentThread();
        server.script(run -> {
            run.text();
            run.sendText("{\"dyno\":\"run.3\"}");
            await().atMost(Duration.ofSeconds(5)).until(tty::isRaw);
            cli.interrupt();
        });
        SlipwayCli.Result r;
        try {
            r = slipway.onTerminal(tty).run("run", "-a", "shop", "--", "bash");
        } finally {
            Thread.interrupted();
        }
        server.verify();
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(tty.events()).containsExactly("raw", "restored");
    }

    @Test
    void aRefusedRunNeverTouchesTheTerminal() throws Exception {
        FakeTty tty = new FakeTty(80, 24);
        server.script(run -> {
            run.text();
            run.sendText("{\"error\":{\"id\":\"no_release\",\"message\":\"shop has no release yet\"}}");
            run.close();
        });
        SlipwayCli.Result r = slipway.onTerminal(tty).run("run", "-a", "shop", "--", "bash");
        server.verify();
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(tty.events()).isEmpty();
    }

    private static StandInRunServer.Binary nextNot(StandInRunServer.Conversation run, int channel) throws Exception {
        for (int i = 0; i < 10; i++) {
            StandInRunServer.Binary frame = run.binary();
            if (frame.channel() != channel) {
                return frame;
            }
        }
        throw new AssertionError("only channel " + channel + " frames");
    }
}
