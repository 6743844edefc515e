package io.slipway.controller.db;

import io.slipway.controller.dyno.Backoff;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the embedded PostgreSQL running while the controller runs. It looks at the postmaster
 * every {@link #POLL} (and at once when a connection fails); when it has died (killed, crashed:
 * its {@code postmaster.pid} is left behind) it starts it again on the same data directory and
 * port, where crash recovery replays the write-ahead log, so nothing committed is lost. A server
 * that keeps dying is restarted after a growing wait, said in the log; it never gives up. While it
 * is down the API's clients are told it is restarting. A server that was shut down (its lock file
 * removed) is left down: someone meant it.
 *
 * <p>It only supervises: closing it leaves the server running for the next controller to adopt
 * ({@code ./slipway}'s supervisor stops the server after the controller has stopped).
 */
public final class PostgresSupervisor implements OutageWatch, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PostgresSupervisor.class);
    static final Duration POLL = Duration.ofMillis(250);
    /** A server that ran this long after our restart died afresh, not again: its backoff starts over. */
    static final Duration STABLE = Duration.ofMinutes(1);
    static final Backoff BACKOFF = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));

    /**
     * The server is down since {@code since}; the next start is due at {@code due}, after
     * {@code failedStarts} failed ones. {@code shutDown}: it was shut down, not killed, so it is left down.
     */
    record Outage(Instant since, int streak, int failedStarts, Instant due, boolean shutDown) {}

    private final EmbeddedPostgres server;
    private final Runnable onBack;
    private final Clock clock;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().name("postgres-supervisor").daemon().unstarted(r));
    private volatile Outage outage;
    /** When our last restart brought the server back; null until one did (a server adopted at start is not ours). */
    private Instant restartedAt;
    private int streak;
    /** True while our start runs: its postmaster lives before it accepts connections, which is not "back" yet. */
    private boolean starting;

    PostgresSupervisor(EmbeddedPostgres server, Runnable onBack, Clock clock) {
        this.server = server;
        this.onBack = onBack;
        this.clock = clock;
    }

    /** Supervises {@code server} from now on; {@code onBack} runs each time it is back (the pool drops its dead connections). */
    public static PostgresSupervisor start(EmbeddedPostgres server, Runnable onBack) {
        PostgresSupervisor s = new PostgresSupervisor(server, onBack, Clock.systemUTC());
        s.thread.scheduleWithFixedDelay(s::checkSafely, POLL.toMillis(), POLL.toMillis(), TimeUnit.MILLISECONDS);
        return s;
    }

    @Override
    public Optional<String> knownOutage() {
        Outage o = outage;
        if (o == null) {
            return Optional.empty();
        }
        if (o.shutDown()) {
            return Optional.of("the platform database server was shut down; try again once it is started again");
        }
        long ms = Duration.between(o.since(), clock.instant()).toMillis();
        return Optional.of("the platform database is restarting (its server stopped " + ms / 1000 + "." + ms % 1000 / 100
                + " s ago); try again in a few seconds");
    }

    @Override
    public Optional<String> afterFailure() {
        noticeDeath();
        return knownOutage();
    }

    private void checkSafely() {
        try {
            check();
        } catch (Throwable e) {
            // The supervisor's thread must outlive anything a check throws, or nobody restarts the server.
            log.error("database: supervising the embedded PostgreSQL failed; looking again in {} ms", POLL.toMillis(), e);
        }
    }

    /** One look: notice a death, start the server when a start is due, and notice it back. */
    void check() {
        if (!noticeDeath()) {
            return;
        }
        Outage o;
        synchronized (this) {
            o = outage;
            if (o == null || clock.instant().isBefore(o.due())) {
                return;
            }
            starting = true;
        }
        // Outside the lock: a start takes a while, and request threads ask about the outage meanwhile.
        long started = System.nanoTime();
        try {
            server.restart();
            back(o);
        } catch (RuntimeException | Error e) {
            failed(o, e, (System.nanoTime() - started) / 1_000_000);
        }
    }

    /** True while the server is down (noticed now or before). */
    private synchronized boolean noticeDeath() {
        if (outage != null) {
            if (starting || !server.isRunning()) {
                if (outage.shutDown() && server.postmasterPid().isPresent()) {
                    crashed(); // started by someone since its shutdown, and dead again: a crash after all
                }
                return true;
            }
            back(outage); // started by someone else meanwhile: another controller on this home, or an operator
            return false;
        }
        if (server.isRunning()) {
            return false;
        }
        if (server.postmasterPid().isEmpty()) {
            // A shutdown removes postmaster.pid; a crash leaves it behind. Whoever shut it down meant it
            // (./slipway down stops the controller first), and a restart would fight them.
            outage = new Outage(clock.instant(), streak, 0, Instant.MAX, true);
            log.error("database: the server was shut down (its postmaster.pid is gone: not a crash); not restarting it,"
                    + " the API answers 503 until it is started again (restarting the controller starts it; data {})",
                    server.dataDirectory());
        } else {
            crashed();
        }
        return true;
    }

    private void crashed() {
        Instant now = clock.instant();
        long pid = server.postmasterPid().orElse(-1);
        boolean again = restartedAt != null && Duration.between(restartedAt, now).compareTo(STABLE) < 0;
        streak = again ? streak + 1 : 0;
        Duration wait = BACKOFF.delayAfter(streak);
        outage = new Outage(now, streak, 0, now.plus(wait), false);
        if (again) {
            log.error("database: postmaster pid {} exited again {} s after its restart ({} in a row); restarting in {} s"
                    + " (data {})", pid, Duration.between(restartedAt, now).toSeconds(), streak + 1, wait.toSeconds(),
                    server.dataDirectory());
        } else {
            log.error("database: postmaster pid {} exited; restarting (data {})", pid, server.dataDirectory());
        }
    }

    private synchronized void back(Outage o) {
        starting = false;
        if (outage != o) {
            return;
        }
        try {
            onBack.run(); // before the outage ends, or a request could still reach the old pool's dead connections
        } catch (RuntimeException e) {
            log.warn("database: renewing the connection pool failed ({}); the old pool reconnects by itself", e.toString());
        }
        Instant now = clock.instant();
        restartedAt = now;
        outage = null;
        // A warning, not news: it closes the incident the death opened, and is seen wherever that was.
        log.warn("database: back after {} ms (postmaster pid {}, {} failed start(s) before)",
                Duration.between(o.since(), now).toMillis(), server.postmasterPid().orElse(-1), o.failedStarts());
    }

    private synchronized void failed(Outage o, Throwable e, long tookMs) {
        starting = false;
        int failures = o.failedStarts() + 1;
        Duration wait = BACKOFF.delayAfter(o.streak() + failures);
        outage = new Outage(o.since(), o.streak(), failures, clock.instant().plus(wait), false);
        log.error("database: start {} failed after {} ms (down for {} s): {}; trying again in {} s", failures, tookMs,
                Duration.between(o.since(), clock.instant()).toSeconds(), oneLine(String.valueOf(e.getMessage())),
                wait.toSeconds());
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.strip().replaceAll("\\s*\\R\\s*", " / ");
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
