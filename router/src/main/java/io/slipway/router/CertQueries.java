package io.slipway.router;

import io.slipway.keys.HostNames;
import io.slipway.keys.Pem;
import io.slipway.keys.CertKey;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the apps' certificates into {@link Certificates}, each under the names of its own app
 * that it covers (never another app's), an uploaded one before an automatic one. A row that
 * cannot be read (a key sealed with another cert-key) is logged and skipped: the platform
 * certificate answers for its names.
 */
final class CertQueries {
    static final String CHANNEL = "slipway_certs";
    private static final Logger log = LoggerFactory.getLogger(CertQueries.class);

    private final Certificates certificates;
    private final CertKey key;
    private final String domain;

    CertQueries(Certificates certificates, CertKey key, String domain) {
        this.certificates = certificates;
        this.key = key;
        this.domain = domain;
    }

    void loadAll(Connection c) throws SQLException {
        Map<String, Certificates.Served> byHost = new HashMap<>();
        Set<String> forceHttps = new HashSet<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select a.name, c.id, c.chain_pem, c.key_sealed, "
                     + "array(select hostname from domains d where d.app_id = a.id) as hosts "
                     + "from certificates c join apps a on a.id = c.app_id "
                     + "order by (c.source = 'uploaded') desc, c.not_after desc")) {
            while (rs.next()) {
                String app = rs.getString(1);
                Certificates.Served served;
                List<X509Certificate> chain;
                try {
                    chain = Pem.certificates(rs.getString(3));
                    PrivateKey pk = Pem.pkcs8(key.open(rs.getBytes(4)));
                    served = new Certificates.Served(app + "/" + rs.getString(2), pk, chain.toArray(X509Certificate[]::new));
                } catch (GeneralSecurityException | RuntimeException e) {
                    log.warn("tls: app={} certificate {} cannot be served ({}); the platform certificate answers for its names",
                            app, rs.getString(2), e.getMessage());
                    continue;
                }
                List<String> names = HostNames.of(chain.getFirst());
                Array hosts = rs.getArray(5);
                for (Object h : (Object[]) hosts.getArray()) {
                    putIfCovered(byHost, names, (String) h, served);
                }
                putIfCovered(byHost, names, app + "." + domain, served);
            }
        }
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select a.name from app_https h join apps a on a.id = h.app_id where h.force_https")) {
            while (rs.next()) {
                forceHttps.add(rs.getString(1));
            }
        }
        certificates.replace(byHost, forceHttps);
    }

    private static void putIfCovered(Map<String, Certificates.Served> byHost, List<String> names, String host, Certificates.Served served) {
        if (HostNames.covers(names, host)) {
            byHost.putIfAbsent(host, served);
        }
    }
}
