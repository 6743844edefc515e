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
    private final ExecutorService passes = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("acme-", 1).factory());

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
            passes.execute(this::passes);
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

    /** Orders a certificate for every domain that is due and not taken by another controller. Never throws. */
    void runDue() {
        try {
            for (DomainState s : store.all()) {
                Instant now = clock.instant();
                if (renewal.due(s, now) && store.claim(s, now, now.plus(Renewal.LEASE))) {
                    order(s);
                }
            }
        } catch (RuntimeException e) {
            log.warn("acme: the pass over due certificates stopped: {}; the next one tries again", e.getMessage(), e);
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
        passes.shutdownNow();
    }
}
