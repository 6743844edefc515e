package io.slipway.controller.certs;

import io.slipway.keys.CertKey;
import io.slipway.api.CertificateView;
import io.slipway.controller.app.App;
import io.slipway.controller.db.Database;
import io.slipway.controller.http.ApiException;
import java.io.StringWriter;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The apps' HTTPS certificates: checked, stored with the key sealed, listed, removed; and whether
 * an app sends plain HTTP to HTTPS. The routers hear every change through the database
 * ({@code slipway_certs}) and serve it at once.
 */
public final class CertService {
    private static final Logger log = LoggerFactory.getLogger(CertService.class);

    private final Database db;
    private final CertKey key;
    private final String platformDomain;
    private final Clock clock;

    public CertService(Database db, CertKey key, String platformDomain, Clock clock) {
        this.db = db;
        this.key = key;
        this.platformDomain = platformDomain;
        this.clock = clock;
    }

    /**
     * Whether this controller's key opens the keys already stored: a second controller on the
     * database started without a copy of the first one's {@code cert-key} makes a key of its own,
     * and what it sealed no router could open. False (and said in the log, with what to do) when it
     * does not; true when it does or nothing is stored yet.
     */
    public boolean keyOpensStored(java.nio.file.Path keyFile) {
        byte[] sealed = db.inTransaction(c -> {
            try (var st = c.prepareStatement("select key_sealed from certificates order by created_at limit 1");
                 var rs = st.executeQuery()) {
                return rs.next() ? rs.getBytes(1) : null;
            }
        });
        if (sealed == null) {
            return true;
        }
        try {
            key.open(sealed);
            return true;
        } catch (java.security.GeneralSecurityException e) {
            log.error("the certificate key {} does not open the apps' private keys stored in the platform database: "
                    + "they were sealed with another key. A second controller needs a copy of the first controller's "
                    + "cert-key (mode 0600) in its SLIPWAY_HOME; stop this controller, copy it there and start again, "
                    + "else HTTPS certificates added through this controller cannot be served", keyFile);
            return false;
        }
    }

    public List<CertificateView> list(App app) {
        return db.inTransaction(c -> {
            boolean force = forceHttps(c, app);
            try (var st = c.prepareStatement("select domains, subject, issuer, not_before, not_after, source, created_at "
                    + "from certificates where app_id = ? order by source desc, created_at")) {
                st.setObject(1, app.id());
                var rs = st.executeQuery();
                List<CertificateView> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new CertificateView(List.of((String[]) rs.getArray(1).getArray()), rs.getString(2), rs.getString(3),
                            rs.getTimestamp(4).toInstant(), rs.getTimestamp(5).toInstant(), rs.getString(6),
                            rs.getTimestamp(7).toInstant(), force));
                }
                return out;
            }
        });
    }

    /** Checks and stores the app's uploaded certificate, replacing the one it had. */
    public CertificateView add(App app, String certPem, String keyPem, String by) {
        Set<String> hosts = db.inTransaction(c -> hostsOf(c, app));
        UploadedCertificate cert = UploadedCertificate.check(certPem, keyPem, hosts, clock.instant());
        X509Certificate leaf = cert.leaf();
        byte[] sealed = key.seal(cert.key().getEncoded());
        String chainPem = pem(cert.chain());
        CertificateView view = db.inTransaction(c -> {
            try (var del = c.prepareStatement("delete from certificates where app_id = ? and source = 'uploaded'")) {
                del.setObject(1, app.id());
                del.executeUpdate();
            }
            try (var st = c.prepareStatement("insert into certificates (app_id, source, domains, subject, issuer, not_before, not_after, "
                    + "chain_pem, key_sealed) values (?, 'uploaded', ?, ?, ?, ?, ?, ?, ?) returning created_at")) {
                st.setObject(1, app.id());
                st.setArray(2, c.createArrayOf("text", cert.names().toArray()));
                st.setString(3, leaf.getSubjectX500Principal().getName());
                st.setString(4, leaf.getIssuerX500Principal().getName());
                st.setTimestamp(5, Timestamp.from(leaf.getNotBefore().toInstant()));
                st.setTimestamp(6, Timestamp.from(leaf.getNotAfter().toInstant()));
                st.setString(7, chainPem);
                st.setBytes(8, sealed);
                var rs = st.executeQuery();
                rs.next();
                return new CertificateView(cert.names(), leaf.getSubjectX500Principal().getName(), leaf.getIssuerX500Principal().getName(),
                        leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant(), "uploaded", rs.getTimestamp(1).toInstant(),
                        forceHttps(c, app));
            }
        });
        log.info("app={} certificate added by {}: {} (issuer {}, expires {})", app.name(), by, String.join(",", cert.names()),
                view.issuer(), view.notAfter());
        return view;
    }

    /**
     * Stores the ACME certificate of one of the app's domains, replacing the one it had for that
     * domain, in one transaction: the routers see the old one until the commit, then the new one.
     */
    public void storeAuto(App app, String host, List<X509Certificate> chain, java.security.PrivateKey privateKey) {
        X509Certificate leaf = chain.getFirst();
        byte[] sealed = key.seal(privateKey.getEncoded());
        String chainPem = pem(chain);
        db.inTransaction(c -> {
            try (var del = c.prepareStatement("delete from certificates where app_id = ? and source = 'auto' and domains = ?")) {
                del.setObject(1, app.id());
                del.setArray(2, c.createArrayOf("text", new Object[] {host}));
                del.executeUpdate();
            }
            try (var st = c.prepareStatement("insert into certificates (app_id, source, domains, subject, issuer, not_before, not_after, "
                    + "chain_pem, key_sealed) values (?, 'auto', ?, ?, ?, ?, ?, ?, ?)")) {
                st.setObject(1, app.id());
                st.setArray(2, c.createArrayOf("text", new Object[] {host}));
                st.setString(3, leaf.getSubjectX500Principal().getName());
                st.setString(4, leaf.getIssuerX500Principal().getName());
                st.setTimestamp(5, Timestamp.from(leaf.getNotBefore().toInstant()));
                st.setTimestamp(6, Timestamp.from(leaf.getNotAfter().toInstant()));
                st.setString(7, chainPem);
                st.setBytes(8, sealed);
                return st.executeUpdate();
            }
        });
    }

    /** Removes the app's ACME certificates (certs:auto:disable); returns how many there were. */
    public int removeAuto(App app) {
        return db.inTransaction(c -> {
            try (var st = c.prepareStatement("delete from certificates where app_id = ? and source = 'auto'")) {
                st.setObject(1, app.id());
                return st.executeUpdate();
            }
        });
    }

    public void remove(App app, String by) {
        int removed = db.inTransaction(c -> {
            try (var st = c.prepareStatement("delete from certificates where app_id = ? and source = 'uploaded'")) {
                st.setObject(1, app.id());
                return st.executeUpdate();
            }
        });
        if (removed == 0) {
            throw ApiException.notFound("app '" + app.name() + "' has no uploaded certificate; 'slipway certs -a " + app.name() + "' lists what it has");
        }
        log.info("app={} certificate removed by {}; its names fall back to the platform certificate", app.name(), by);
    }

    public boolean setForceHttps(App app, boolean on, String by) {
        db.inTransaction(c -> {
            try (var st = c.prepareStatement("insert into app_https (app_id, force_https) values (?, ?) "
                    + "on conflict (app_id) do update set force_https = excluded.force_https")) {
                st.setObject(1, app.id());
                st.setBoolean(2, on);
                return st.executeUpdate();
            }
        });
        log.info("app={} HTTPS redirect {} by {}", app.name(), on ? "on" : "off", by);
        return on;
    }

    public boolean forceHttps(App app) {
        return db.inTransaction(c -> forceHttps(c, app));
    }

    private static boolean forceHttps(Connection c, App app) throws SQLException {
        try (var st = c.prepareStatement("select force_https from app_https where app_id = ?")) {
            st.setObject(1, app.id());
            var rs = st.executeQuery();
            return rs.next() && rs.getBoolean(1);
        }
    }

    private Set<String> hostsOf(Connection c, App app) throws SQLException {
        Set<String> hosts = new HashSet<>();
        hosts.add(app.name() + "." + platformDomain);
        try (var st = c.prepareStatement("select hostname from domains where app_id = ?")) {
            st.setObject(1, app.id());
            var rs = st.executeQuery();
            while (rs.next()) {
                hosts.add(rs.getString(1));
            }
        }
        return hosts;
    }

    private static String pem(List<X509Certificate> chain) {
        StringWriter out = new StringWriter();
        Base64.Encoder b64 = Base64.getMimeEncoder(64, new byte[] {'\n'});
        try {
            for (X509Certificate c : chain) {
                out.append("-----BEGIN CERTIFICATE-----\n").append(b64.encodeToString(c.getEncoded())).append("\n-----END CERTIFICATE-----\n");
            }
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("a certificate that parsed cannot be encoded", e);
        }
        return out.toString();
    }
}
