package io.slipway.controller.certs.acme;

import io.slipway.controller.db.Database;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Which apps have automatic certificates and where each of their custom domains stands ({@code acme_apps}, {@code acme_domains}). */
final class AcmeStore {
    /** Every custom domain of every app with automatic certificates, with its state (pending when it has none yet). */
    private static final String STATES = """
            select d.id, a.id, a.name, d.hostname, coalesce(s.status, 'pending'), s.last_error, coalesce(s.failures, 0), s.next_try,
                   (select max(c.not_after) from certificates c
                     where c.app_id = a.id and c.source = 'auto' and c.domains = array[d.hostname]::text[])
            from acme_apps x join apps a on a.id = x.app_id join domains d on d.app_id = a.id
            left join acme_domains s on s.domain_id = d.id
            """;

    private final Database db;

    AcmeStore(Database db) {
        this.db = db;
    }

    /** Returns false when the app has no custom domain (nothing enabled then). */
    boolean enable(UUID appId, String by) {
        return db.inTransaction(c -> {
            try (var st = c.prepareStatement("select count(*) from domains where app_id = ?")) {
                st.setObject(1, appId);
                var rs = st.executeQuery();
                rs.next();
                if (rs.getInt(1) == 0) {
                    return false;
                }
            }
            try (var st = c.prepareStatement("insert into acme_apps (app_id, enabled_by) values (?, ?) on conflict (app_id) do nothing")) {
                st.setObject(1, appId);
                st.setString(2, by);
                st.executeUpdate();
            }
            return true;
        });
    }

    /** Returns whether it was enabled. */
    boolean disable(UUID appId) {
        return db.inTransaction(c -> {
            try (var st = c.prepareStatement("delete from acme_domains where app_id = ?")) {
                st.setObject(1, appId);
                st.executeUpdate();
            }
            try (var st = c.prepareStatement("delete from acme_apps where app_id = ?")) {
                st.setObject(1, appId);
                return st.executeUpdate() > 0;
            }
        });
    }

    boolean enabled(UUID appId) {
        return db.inTransaction(c -> {
            try (var st = c.prepareStatement("select 1 from acme_apps where app_id = ?")) {
                st.setObject(1, appId);
                return st.executeQuery().next();
            }
        });
    }

    List<DomainState> states(UUID appId) {
        return db.inTransaction(c -> read(c, STATES + " where a.id = ? order by d.hostname", appId));
    }

    List<DomainState> all() {
        return db.inTransaction(c -> read(c, STATES + " order by a.name, d.hostname", null));
    }

    /**
     * Takes the domain for one order until {@code leaseUntil}, unless another controller holds it:
     * true when this one may go ahead. It shows as pending meanwhile (its last error stays).
     */
    boolean claim(DomainState s, Instant now, Instant leaseUntil) {
        return db.inTransaction(c -> {
            try (var st = c.prepareStatement("""
                    insert into acme_domains (domain_id, app_id, status, next_try) values (?, ?, 'pending', ?)
                    on conflict (domain_id) do update set status = 'pending', next_try = excluded.next_try, updated_at = now()
                    where acme_domains.next_try <= ?""")) {
                st.setObject(1, s.domainId());
                st.setObject(2, s.appId());
                st.setTimestamp(3, Timestamp.from(leaseUntil));
                st.setTimestamp(4, Timestamp.from(now));
                return st.executeUpdate() == 1;
            }
        });
    }

    void succeeded(UUID domainId, Instant now) {
        update(domainId, "status = 'ok', last_error = null, failures = 0, next_try = ?", now, null);
    }

    void failed(UUID domainId, String error, Instant nextTry) {
        update(domainId, "status = 'failing', last_error = ?, failures = failures + 1, next_try = ?", nextTry, error);
    }

    /** Makes the app's failing domains due now (certs:auto:refresh); returns how many. */
    int refresh(UUID appId, Instant now) {
        return db.inTransaction(c -> {
            try (var st = c.prepareStatement("update acme_domains set next_try = ? where app_id = ? and status = 'failing'")) {
                st.setTimestamp(1, Timestamp.from(now));
                st.setObject(2, appId);
                return st.executeUpdate();
            }
        });
    }

    /** Removes the automatic certificates of domains their app no longer has (domains:remove); returns how many. */
    int removeOrphanCertificates() {
        return db.inTransaction(c -> {
            try (var st = c.prepareStatement("""
                    delete from certificates c where c.source = 'auto' and not exists
                      (select 1 from domains d where d.app_id = c.app_id and array[d.hostname]::text[] = c.domains)""")) {
                return st.executeUpdate();
            }
        });
    }

    private void update(UUID domainId, String set, Instant nextTry, String error) {
        db.inTransaction(c -> {
            try (var st = c.prepareStatement("update acme_domains set " + set + ", updated_at = now() where domain_id = ?")) {
                int i = 1;
                if (error != null) {
                    st.setString(i++, error);
                }
                st.setTimestamp(i++, Timestamp.from(nextTry));
                st.setObject(i, domainId);
                return st.executeUpdate();
            }
        });
    }

    private static List<DomainState> read(Connection c, String sql, UUID appId) throws SQLException {
        try (var st = c.prepareStatement(sql)) {
            if (appId != null) {
                st.setObject(1, appId);
            }
            var rs = st.executeQuery();
            List<DomainState> out = new ArrayList<>();
            while (rs.next()) {
                out.add(new DomainState(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4),
                        DomainState.Status.of(rs.getString(5)), rs.getString(6), rs.getInt(7), instant(rs.getTimestamp(8)),
                        instant(rs.getTimestamp(9))));
            }
            return out;
        }
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
