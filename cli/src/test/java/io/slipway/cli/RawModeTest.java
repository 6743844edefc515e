package io.slipway.cli;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The local terminal goes back to how it was exactly once, whichever way the run ends. */
class RawModeTest {
    private final FakeTty tty = new FakeTty(80, 24);
    private final List<Thread> hooks = new ArrayList<>();
    private final RawMode.Hooks registry = new RawMode.Hooks() {
        @Override
        public void add(Thread hook) {
            hooks.add(hook);
        }

        @Override
        public void remove(Thread hook) {
            hooks.remove(hook);
        }
    };

    @Test
    void closingPutsTheTerminalBackAndDropsTheShutdownHook() {
        try (RawMode raw = RawMode.enter(tty, registry)) {
            assertThat(tty.events()).containsExactly("raw");
            assertThat(hooks).hasSize(1);
        }
        assertThat(tty.events()).containsExactly("raw", "restored");
        assertThat(hooks).isEmpty();
    }

    @Test
    void anExceptionInsideStillPutsTheTerminalBack() {
        assertThatThrownBy(() -> {
            try (RawMode raw = RawMode.enter(tty, registry)) {
                throw new IllegalStateException("boom");
            }
        }).hasMessage("boom");
        assertThat(tty.events()).containsExactly("raw", "restored");
        assertThat(hooks).isEmpty();
    }

    @Test
    void aJvmShutdownMidRunPutsTheTerminalBackThroughTheHookAndOnlyOnce() throws Exception {
        RawMode raw = RawMode.enter(tty, registry);
        // SIGTERM or SIGHUP: no finally runs, the JVM runs its shutdown hooks.
        Thread hook = hooks.getFirst();
        hook.start();
        hook.join();
        assertThat(tty.events()).containsExactly("raw", "restored");
        raw.close();
        assertThat(tty.events()).containsExactly("raw", "restored");
    }

    @Test
    void closingTwiceRestoresOnce() {
        RawMode raw = RawMode.enter(tty, registry);
        raw.close();
        raw.close();
        assertThat(tty.events()).containsExactly("raw", "restored");
    }

    @Test
    void aTerminalThatCannotGoRawLeavesNoHookBehind() {
        Tty broken = new Tty() {
            @Override
            public java.util.Optional<Size> size() {
                return java.util.Optional.empty();
            }

            @Override
            public Restore raw() {
                throw new CliException("stty raw -echo on /dev/tty failed: no such device");
            }
        };
        assertThatThrownBy(() -> RawMode.enter(broken, registry)).isInstanceOf(CliException.class);
        assertThat(hooks).isEmpty();
    }
}
