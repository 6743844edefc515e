package io.slipway.controller.certs.acme;

import io.slipway.keys.CertKey;
import io.slipway.controller.db.Database;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Optional;

/**
 * The platform's ACME account key for a directory, in the database with its private half sealed
 * by the cert-key: every controller of the platform uses the same account, and a restored
 * database keeps it. The first controller that needs one makes it; a second one racing it takes
 * the first one's.
 */
final class AccountKeys {
    private final Database db;
    private final CertKey sealing;
    private final URI directory;
    private volatile KeyPair cached;

    AccountKeys(Database db, CertKey sealing, URI directory) {
        this.db = db;
        this.sealing = sealing;
        this.directory = directory;
    }

    KeyPair get() {
        KeyPair k = cached;
        if (k == null) {
            k = read().orElseGet(this::create);
            cached = k;
        }
        return k;
    }

    private KeyPair create() {
        KeyPair fresh = AcmeClient.newKey();
        db.inTransaction(c -> {
            try (var st = c.prepareStatement("insert into acme_accounts (directory, key_sealed, public_key) values (?, ?, ?) "
                    + "on conflict (directory) do nothing")) {
                st.setString(1, directory.toString());
                st.setBytes(2, sealing.seal(fresh.getPrivate().getEncoded()));
                st.setBytes(3, fresh.getPublic().getEncoded());
                return st.executeUpdate();
            }
        });
        return read().orElseThrow();
    }

    private Optional<KeyPair> read() {
        return db.inTransaction(c -> {
            try (var st = c.prepareStatement("select key_sealed, public_key from acme_accounts where directory = ?")) {
                st.setString(1, directory.toString());
                var rs = st.executeQuery();
                if (!rs.next()) {
                    return Optional.empty();
                }
                try {
                    KeyFactory ec = KeyFactory.getInstance("EC");
                    return Optional.of(new KeyPair(ec.generatePublic(new X509EncodedKeySpec(rs.getBytes(2))),
                            ec.generatePrivate(new PKCS8EncodedKeySpec(sealing.open(rs.getBytes(1))))));
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException("the ACME account key for " + directory + " cannot be opened with this "
                            + "platform's cert-key (" + e.getMessage() + "); restore the cert-key, or delete the row of "
                            + "acme_accounts to register a new account", e);
                }
            }
        });
    }
}
