package io.slipway.api;

import java.time.Instant;
import java.util.List;

/**
 * Automatic certificates (ACME) of an app: whether they are on, and where each custom domain stands.
 *
 * @param enabled whether {@code certs:auto:enable} is in force
 * @param domains one entry per custom domain of the app
 */
public record AutoCertView(String app, boolean enabled, List<Domain> domains) {
    /**
     * @param status    {@code ok} (a certificate is served), {@code pending} (being issued) or
     *                  {@code failing} (the last order failed: {@code lastError}; the current certificate, if any, keeps serving)
     * @param failures  orders failed in a row
     * @param nextTry   when the next order is due (a renewal, or a retry after a failure)
     * @param expires   the automatic certificate's expiry; null when there is none yet
     */
    public record Domain(String hostname, String status, String lastError, int failures, Instant nextTry, Instant expires) {}
}
