package io.slipway.controller.certs.acme;

import io.slipway.controller.db.Database;

/**
 * HTTP-01 answers in the database ({@code acme_challenges}), which every router hears of on
 * {@code slipway_acme} and serves at {@code /.well-known/acme-challenge/<token>} for any host.
 */
final class ChallengeAnswers implements AcmeClient.Answers {
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
