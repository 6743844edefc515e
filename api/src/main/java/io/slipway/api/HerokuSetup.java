package io.slipway.api;

/**
 * {@code GET /platform/heroku}: what the unmodified Heroku CLI needs beyond the API's URL and a token.
 *
 * @param gitHost        {@code HEROKU_GIT_HOST}: the platform's domain and the API's HTTPS port; null when that is off
 * @param rendezvousPort where {@code heroku run} attaches; null when that is off
 * @param certificate    the platform certificate (PEM) both are served with, for clients to trust; null when none is made yet
 */
public record HerokuSetup(String domain, String gitHost, Integer rendezvousPort, String certificate) {}
