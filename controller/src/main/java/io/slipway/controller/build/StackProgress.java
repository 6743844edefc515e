package io.slipway.controller.build;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What building the stack images says, fanned out to everyone waiting for them: the build that
 * started the work and any push that came while it ran. When nothing was said for a while
 * (debootstrap writes to its log, Docker commits a layer), {@link #tick()} says what is being
 * waited for and for how long, so a first push never sits silent for minutes.
 */
final class StackProgress implements BuildOutput {
    private static final Logger log = LoggerFactory.getLogger(StackProgress.class);

    private final List<BuildOutput> listeners = new CopyOnWriteArrayList<>();
    private final LongSupplier nanoTime;
    private final long quietNanos;
    private volatile String activity = "preparing the stack images";
    private volatile long activitySince;
    private volatile long lastLine;

    /** {@code nanoTime} is the clock (a seam for tests); {@code quiet} is the longest silence allowed. */
    StackProgress(LongSupplier nanoTime, Duration quiet) {
        this.nanoTime = nanoTime;
        this.quietNanos = quiet.toNanos();
        this.activitySince = nanoTime.getAsLong();
        this.lastLine = activitySince;
    }

    /** Adds a listener until the returned handle is closed. */
    Registration listen(BuildOutput out) {
        listeners.add(out);
        return () -> listeners.remove(out);
    }

    /** A listener's handle: closing it stops the lines. */
    interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    /** What the work is doing now, in words that follow "still" ("bootstrapping Debian with debootstrap"). */
    void activity(String what) {
        long now = nanoTime.getAsLong();
        activity = what;
        activitySince = now;
        lastLine = now;
    }

    String activity() {
        return activity;
    }

    @Override
    public void line(String line) {
        lastLine = nanoTime.getAsLong();
        for (BuildOutput out : listeners) {
            try {
                out.line(line);
            } catch (RuntimeException e) {
                // one pusher gone must not silence the others or fail the stack build
                log.debug("a stack progress listener failed: {}", e.getMessage());
            }
        }
    }

    /** Called about every second while the work runs: breaks a silence longer than the quiet period. */
    void tick() {
        long now = nanoTime.getAsLong();
        if (now - lastLine >= quietNanos) {
            detail("... still " + activity + " (" + Duration.ofNanos(now - activitySince).toSeconds() + " s)");
        }
    }
}
