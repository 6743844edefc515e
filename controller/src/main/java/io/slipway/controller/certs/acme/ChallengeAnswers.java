package io.slipway.controller.certs.acme;

import io.slipway.controller.db.Database;
import java.time.Duration;

/**
 * HTTP-01 answers in the database ({@code acme_challenges}), which every router hears of on
 * {@code slipway_acme} and serves at {@code /.well-known/acme-challenge/<token>} for any host.
 */
final class ChallengeAnswers implements AcmeClient.Answers {
    /**
     * How long a published answer is given to reach the routers before the server is told to
     * check it. They hear of it within milliseconds, but an ACME server may check at once (pebble
     * does): without this pause a check now and then reached a router that had not read the token
     * yet, was routed to the app instead, and the order failed.
     */
    static final Duration SETTLE = Duration.ofMillis(500);

    private final Database db;

    ChallengeAnswers(Database db) {
        this.db = db;
    }

    @Override
    public void publish(String token, String keyAuthorization) {
        db.inTransaction(c -> {
            try (var st = c.prepareStatement("insert into acme_challenges (token, key_authorization) values (?, ?) "
                    + "on conflict (token) do update set key_authorization = excluded.key_authorization")) {
                st.setString(1, token);
                st.setString(2, keyAuthorization);
                return st.executeUpdate();
            }
        });
        try {
            Thread.sleep(SETTLE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void withdraw(String token) {
        db.inTransaction(c -> {
            try (var st = c.prepareStatement("delete from acme_challenges where token = ?")) {
                st.setString(1, token);
                return st.executeUpdate();
            }
        });
    }
}
