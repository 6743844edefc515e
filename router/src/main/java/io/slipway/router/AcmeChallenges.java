package io.slipway.router;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * The HTTP-01 answers of the controller's ACME orders, token → key authorization, read whole
 * from {@code acme_challenges} on every {@code NOTIFY slipway_acme} (a handful of rows at most).
 */
final class AcmeChallenges {
    static final String CHANNEL = "slipway_acme";

    private volatile Map<String, String> answers = Map.of();

    void loadAll(Connection c) throws SQLException {
        Map<String, String> read = new HashMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select token, key_authorization from acme_challenges")) {
            while (rs.next()) {
                read.put(rs.getString(1), rs.getString(2));
            }
        }
        answers = Map.copyOf(read);
    }

    boolean isEmpty() {
        return answers.isEmpty();
    }

    /** The key authorization for {@code token}; null when no order waits on it. */
    String answer(String token) {
        return answers.get(token);
    }
}
