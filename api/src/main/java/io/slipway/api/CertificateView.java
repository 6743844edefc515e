package io.slipway.api;

import java.time.Instant;
import java.util.List;

/**
 * A certificate an app's names are served with over HTTPS.
 *
 * @param domains the names it covers (its subject alternative names)
 * @param source  {@code uploaded} (certs:add) or {@code auto} (ACME)
 * @param forceHttps whether plain HTTP to the app answers 308 to HTTPS (and HTTPS answers carry HSTS)
 */
public record CertificateView(List<String> domains, String subject, String issuer, Instant notBefore, Instant notAfter,
                              String source, Instant createdAt, boolean forceHttps) {}
