package io.slipway.controller.certs.acme;

import java.time.Duration;
import java.time.Instant;

/**
 * When a domain's certificate is ordered: at once when it has none, {@code renewBefore} its
 * expiry (30 days by default, as Let's Encrypt advises), and after a failure again with a backoff
 * that doubles from 5 minutes to 6 hours, which keeps a domain that does not reach this router
 * within Let's Encrypt's limit of 5 failed validations per host name and hour.
 */
record Renewal(Duration renewBefore, Duration firstRetry, Duration maxRetry) {
    /** How long an order may run before another controller may take the domain over (its controller died). */
    static final Duration LEASE = Duration.ofMinutes(10);

    static Renewal of(Duration renewBefore) {
        return new Renewal(renewBefore, Duration.ofMinutes(5), Duration.ofHours(6));
    }

    boolean due(DomainState s, Instant now) {
        if (s.nextTry() != null && s.nextTry().isAfter(now)) {
            return false; // backing off after a failure, or an order is running
        }
        return s.status() != DomainState.Status.OK || s.certExpires() == null || !renewAt(s.certExpires()).isAfter(now);
    }

    Instant renewAt(Instant expires) {
        return expires.minus(renewBefore);
    }

    /** The next try after {@code failures} failures in a row (1 = the first). */
    Instant retryAt(int failures, Instant now) {
        Duration wait = firstRetry;
        for (int i = 1; i < failures && wait.compareTo(maxRetry) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return now.plus(wait.compareTo(maxRetry) > 0 ? maxRetry : wait);
    }

    /** What {@code certs:auto} shows as the next try: the retry, or the renewal of a certificate that is fine. */
    Instant shownNextTry(DomainState s) {
        if (s.status() == DomainState.Status.OK && s.certExpires() != null) {
            Instant renew = renewAt(s.certExpires());
            return s.nextTry() != null && s.nextTry().isAfter(renew) ? s.nextTry() : renew;
        }
        return s.nextTry();
    }
}
