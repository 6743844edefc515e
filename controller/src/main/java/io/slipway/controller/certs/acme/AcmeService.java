package io.slipway.controller.certs.acme;

import io.slipway.api.AutoCertView;
import io.slipway.controller.app.App;
import io.slipway.controller.app.AppService;
import io.slipway.controller.certs.CertService;
import io.slipway.controller.http.ApiException;
import io.slipway.controller.logs.LogSink;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Automatic certificates ({@code certs:auto}): one ACME certificate per custom domain of an app
 * that asked for them, ordered when due ({@link Renewal}) by whichever controller's timer fires
 * (or at once after {@code certs:auto:enable}), stored beside the uploaded ones with source
 * {@code auto}. A failure is kept on the domain (status, error, next try), written to the app's
 * log, and leaves the certificate being served as it is.
 */
public final class AcmeService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AcmeService.class);

    private final AcmeStore store;
    private final AcmeClient client;
    private final ChallengeAnswers answers;
    private final CertService certs;
    private final AppService apps;
    private final LogSink logs;
    private final Renewal renewal;
    private final Clock clock;
    /** One pass at a time per controller; the domains' leases keep controllers from ordering the same one twice. */
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    /** At most this many orders at once per controller: a few, well inside any ACME server's rate limits. */
    private final java.util.concurrent.Semaphore orders = new java.util.concurrent.Semaphore(4);
    private final ExecutorService work = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("acme-", 1).factory());

    AcmeService(AcmeStore store, AcmeClient client, ChallengeAnswers answers, CertService certs, AppService apps,
                LogSink logs, Renewal renewal, Clock clock) {
        this.store = store;
        this.client = client;
        this.answers = answers;
        this.certs = certs;
        this.apps = apps;
        this.logs = logs;
        this.renewal = renewal;
        this.clock = clock;
    }

    public AutoCertView enable(App app, String by) {
        if (!store.enable(app.id(), by)) {
            throw ApiException.invalid("app '" + app.name() + "' has no custom domain to get a certificate for; add one with "
                    + "'slipway domains:add www.example.com -a " + app.name() + "' and point its DNS at this platform's routers first");
        }
        log.info("app={} automatic certificates enabled by {}", app.name(), by);
        logs.event(app.name().value(), "acme", "Automatic certificates enabled by " + by);
        wake();
        return status(app);
    }

    public AutoCertView disable(App app, String by) {
        boolean was = store.disable(app.id());
        int removed = certs.removeAuto(app);
        if (!was && removed == 0) {
            return status(app); // nothing to turn off: said as it is, not as an error
        }
        log.info("app={} automatic certificates disabled by {}; {} removed", app.name(), by, removed);
        logs.event(app.name().value(), "acme", "Automatic certificates disabled by " + by + "; " + removed
                + " removed, their names fall back to an uploaded or the platform's certificate");
        return status(app);
    }

    /** Orders again now for the app's failing domains, without waiting out their backoff (after fixing DNS, say). */
    public AutoCertView refresh(App app, String by) {
        if (!store.enabled(app.id())) {
            throw ApiException.conflict("app '" + app.name() + "' does not have automatic certificates; "
                    + "'slipway certs:auto:enable -a " + app.name() + "' turns them on");
        }
        int failing = store.refresh(app.id(), clock.instant());
        log.info("app={} automatic certificates refreshed by {} ({} failing domains ordered again)", app.name(), by, failing);
        logs.event(app.name().value(), "acme", "Automatic certificates refreshed by " + by);
        wake();
        return status(app);
    }

    public AutoCertView status(App app) {
        boolean enabled = store.enabled(app.id());
        List<AutoCertView.Domain> domains = store.states(app.id()).stream().map(s -> new AutoCertView.Domain(s.hostname(),
                s.status().wire(), s.lastError(), s.failures(), renewal.shownNextTry(s), s.certExpires())).toList();
        return new AutoCertView(app.name().value(), enabled, domains);
    }

    /** Starts a pass soon, on a thread of its own (a pass under way runs once more after it). */
    public void wake() {
        again.set(true);
        if (running.compareAndSet(false, true)) {
            work.execute(this::passes);
        }
    }

    private void passes() {
        try {
            while (again.getAndSet(false)) {
                runDue();
            }
        } finally {
            running.set(false);
            if (again.get()) {
                wake();
            }
        }
    }

    /** Starts an order for every domain that is due and not taken by another controller (or an earlier pass). Never throws. */
    void runDue() {
        try {
            int orphans = store.removeOrphanCertificates();
            if (orphans > 0) {
                log.info("acme: removed {} automatic certificates of domains their apps no longer have", orphans);
            }
            for (DomainState s : store.all()) {
                Instant now = clock.instant();
                if (renewal.due(s, now) && store.claim(s, now, now.plus(Renewal.LEASE))) {
                    work.execute(() -> orderInTurn(s));
                }
            }
        } catch (RuntimeException e) {
            log.warn("acme: the pass over due certificates stopped: {}; the next one tries again", e.getMessage(), e);
        }
    }

    /** Orders run side by side, so that one slow domain (an ACME server taking its time) holds up no other. */
    private void orderInTurn(DomainState s) {
        try {
            orders.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return; // stopping: the lease runs out and the next pass takes the domain up
        }
        try {
            order(s);
        } finally {
            orders.release();
        }
    }

    private void order(DomainState s) {
        long started = System.nanoTime();
        String what = s.certExpires() == null ? "issuing" : "renewing";
        log.info("app={} domain={} acme: {} a certificate", s.app(), s.hostname(), what);
        try {
            AcmeClient.Issued issued = client.issue(s.hostname(), answers);
            App app = apps.get(s.appId().toString());
            certs.storeAuto(app, s.hostname(), issued.chain(), issued.key().getPrivate());
            store.succeeded(s.domainId(), clock.instant());
            Instant expires = issued.chain().getFirst().getNotAfter().toInstant();
            long ms = (System.nanoTime() - started) / 1_000_000;
            log.info("app={} domain={} acme: certificate issued in {} ms, expires {}", s.app(), s.hostname(), ms, expires);
            logs.event(s.app(), "acme", "Certificate for " + s.hostname() + " issued by "
                    + issued.chain().getFirst().getIssuerX500Principal().getName() + ", expires " + expires);
        } catch (AcmeClient.Failure | RuntimeException e) {
            fail(s, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(s, "the controller stopped during the order");
        }
    }

    private void fail(DomainState s, String error) {
        Instant next = renewal.retryAt(s.failures() + 1, clock.instant());
        store.failed(s.domainId(), error, next);
        String keeps = s.certExpires() != null ? "the current certificate (expires " + s.certExpires() + ") keeps serving"
                : "the platform's certificate answers for it meanwhile";
        log.warn("app={} domain={} acme: order failed ({} in a row): {}; next try at {}; {}", s.app(), s.hostname(),
                s.failures() + 1, error, next, keeps);
        logs.event(s.app(), "acme", "Certificate for " + s.hostname() + " failed: " + error + "; next try at " + next + "; " + keeps);
    }

    @Override
    public void close() {
        work.shutdownNow();
    }
}
