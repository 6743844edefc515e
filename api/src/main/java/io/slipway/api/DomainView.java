package io.slipway.api;

import java.time.Instant;

/**
 * A host name an app answers to besides {@code <app>.<domain>}, in Heroku's shape: {@code kind} is
 * {@code custom} ({@code heroku} for the default one, listed only to Heroku's clients), {@code cname}
 * the DNS target to point it at (the app's default host name), {@code status} {@code none} as no
 * certificate is being provisioned for it.
 */
public record DomainView(String hostname, Instant createdAt, String kind, String cname, String status) {}
