package io.slipway.controller.schedule;

import io.slipway.controller.app.App;
import io.slipway.controller.run.OneOffRunner;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A one-off runner that records what it was asked to run and, when told to, holds each run until released. */
final class FakeRunner implements OneOffRunner {
    record Call(String app, String command, String trigger, Duration maxTime) {}

    final List<Call> calls = new CopyOnWriteArrayList<>();
    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger mostAtOnce = new AtomicInteger();
    private final AtomicInteger numbers = new AtomicInteger();
    private volatile CountDownLatch gate = new CountDownLatch(0);
    volatile int exitCode = 0;
    volatile String output = "report done";
    volatile RuntimeException failure;

    /** Runs from now on wait for {@link #release()}. */
    void hold() {
        gate = new CountDownLatch(1);
    }

    void release() {
        gate.countDown();
    }

    @Override
    public Result runToCompletion(App app, String command, String trigger, Duration maxTime) {
        calls.add(new Call(app.name().value(), command, trigger, maxTime));
        if (failure != null) {
            throw failure;
        }
        int now = running.incrementAndGet();
        mostAtOnce.accumulateAndGet(now, Math::max);
        Instant started = Instant.now();
        try {
            if (!gate.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never released the run");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            running.decrementAndGet();
        }
        return new Result("run." + numbers.incrementAndGet(), exitCode, output, started, Instant.now(), false);
    }
}
