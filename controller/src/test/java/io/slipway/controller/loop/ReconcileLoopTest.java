package io.slipway.controller.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A reconcile loop outlives whatever a pass throws: the next tick runs the next pass; stopped, it runs none until started again. */
class ReconcileLoopTest {

    @Test
    void passesGoOnAfterAPassThrowsAnError() {
        AtomicInteger passes = new AtomicInteger();
        try (ReconcileLoop loop = new ReconcileLoop("test-loop", Duration.ofMillis(20), () -> {
            if (passes.incrementAndGet() <= 2) {
                throw new AssertionError("a pass that fails with an Error, not an exception");
            }
        })) {
            loop.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> passes.get() >= 5);
        }
    }

    @Test
    void passesGoOnThroughARunOfFailuresAndAWakeRunsOneAtOnce() {
        AtomicInteger passes = new AtomicInteger();
        try (ReconcileLoop loop = new ReconcileLoop("test-loop", Duration.ofHours(1), () -> {
            if (passes.incrementAndGet() <= 3) {
                throw new IllegalStateException("database down");
            }
        })) {
            loop.start();
            for (int i = 2; i <= 5; i++) {
                int expected = i;
                loop.wake();
                await().atMost(Duration.ofSeconds(5)).until(() -> passes.get() >= expected);
            }
            assertThat(passes.get()).isEqualTo(5);
        }
    }

    @Test
    void aStoppedLoopRunsNoPassUntilItIsStartedAgain() throws InterruptedException {
        AtomicInteger passes = new AtomicInteger();
        try (ReconcileLoop loop = new ReconcileLoop("test-loop", Duration.ofMillis(20), passes::incrementAndGet)) {
            loop.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> passes.get() >= 2);
            loop.stop();
            Thread.sleep(50); // a pass under way when it stopped may still end
            int stoppedAt = passes.get();
            loop.wake();
            Thread.sleep(200);
            assertThat(passes.get()).as("no pass while stopped, woken or not").isEqualTo(stoppedAt);
            loop.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> passes.get() >= stoppedAt + 2);
        }
    }
}
