package io.slipway.controller.loop;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread that runs a level-triggered pass every tick, and at once when woken (a wake while a
 * pass is already due is folded into it). A pass that throws, whatever it throws, is logged and the
 * loop goes on (an outage of the database fails pass after pass, and the first pass after it does
 * the work); a wake after {@link #close} is a no-op, so background work that ends during shutdown
 * needs no care. {@link #stop} pauses it and a later {@link #start} resumes it on a fresh thread:
 * a controller that loses the lead stops its loops and starts them again when it leads again.
 */
public final class ReconcileLoop implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReconcileLoop.class);
    private static final Duration STILL_FAILING_EVERY = Duration.ofSeconds(30);

    private final String name;
    private final Runnable pass;
    private final Duration tick;
    /** The thread of the current run, between {@link #start} and {@link #stop}; null when stopped. */
    private volatile ScheduledExecutorService thread;
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private volatile boolean closed;
    // The failures in a row, touched only by the loop's thread.
    private int failedPasses;
    private long failingSince;
    private long lastLogged;
    private Class<?> lastFailure;

    public ReconcileLoop(String name, Duration tick, Runnable pass) {
        this.name = name;
        this.pass = pass;
        this.tick = tick;
    }

    /** Passes from now on, the first at once; a no-op while running or after {@link #close}. */
    public synchronized void start() {
        if (closed || thread != null) {
            return;
        }
        ScheduledExecutorService t = Executors.newSingleThreadScheduledExecutor(
                r -> Thread.ofPlatform().name(name).daemon().unstarted(r));
        wakePending.set(false);
        t.scheduleWithFixedDelay(this::runPass, 0, tick.toMillis(), TimeUnit.MILLISECONDS);
        thread = t;
    }

    /** No more passes until the next {@link #start}; a pass under way is interrupted. */
    public synchronized void stop() {
        ScheduledExecutorService t = thread;
        thread = null;
        if (t != null) {
            t.shutdownNow();
        }
    }

    /** A pass now rather than at the next tick; a no-op while stopped (tests drive passes by hand). */
    public void wake() {
        ScheduledExecutorService thread = this.thread;
        if (thread != null && !thread.isShutdown() && wakePending.compareAndSet(false, true)) {
            try {
                thread.execute(() -> {
                    wakePending.set(false);
                    runPass();
                });
            } catch (RejectedExecutionException closing) {
                // stopping: the next controller goes on from what it finds
            }
        }
    }

    /** A pass after {@code delay}, sooner than the tick (something is about to change). */
    public void wakeIn(Duration delay) {
        ScheduledExecutorService thread = this.thread;
        if (thread != null && !thread.isShutdown()) {
            try {
                thread.schedule(this::wake, delay.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException closing) {
                // stopping
            }
        }
    }

    private void runPass() {
        try {
            pass.run();
            if (failedPasses > 0) {
                log.info("{} passes work again after {} failed in a row over {} ms", name, failedPasses,
                        (System.nanoTime() - failingSince) / 1_000_000);
                failedPasses = 0;
            }
        } catch (Throwable e) {
            // Errors too: a scheduled task that throws is never run again, which would stop the loop for good.
            failed(e);
        }
    }

    /** One line for the first failure of a run, for each new kind of failure, and every {@link #STILL_FAILING_EVERY}. */
    private void failed(Throwable e) {
        long now = System.nanoTime();
        if (failedPasses++ == 0) {
            failingSince = now;
        }
        // The kind of failure, not its text: an outage's message counts the seconds.
        if (failedPasses == 1 || e.getClass() != lastFailure || now - lastLogged >= STILL_FAILING_EVERY.toNanos()) {
            log.warn("{} pass failed ({} in a row over {} ms): {}", name, failedPasses, (now - failingSince) / 1_000_000,
                    e.toString(), e instanceof RuntimeException ? null : e);
            lastLogged = now;
            lastFailure = e.getClass();
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        stop();
    }
}
