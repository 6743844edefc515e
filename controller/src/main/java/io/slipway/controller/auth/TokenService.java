package io.slipway.controller.auth;

import io.slipway.controller.db.Database;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * API tokens. Only their SHA-256 is stored; the admin token's plain text lives in one file under
 * {@code $SLIPWAY_HOME} (mode 0600) so the CLI on the platform's own host needs no login.
 */
public final class TokenService {
    private static final Logger log = LoggerFactory.getLogger(TokenService.class);
    public static final String ADMIN = "admin";

    private final Database db;
    private final SecureRandom random = new SecureRandom();

    public TokenService(Database db) {
        this.db = db;
    }

    /**
     * Makes sure the admin token in {@code file} exists and is known to the database: creates it
     * on first start, and re-registers it if the file survived but the database is new.
     */
    public String ensureAdminToken(Path file) {
        try {
            String token;
            if (Files.exists(file)) {
                token = Files.readString(file).trim();
            } else {
                token = newToken();
                Files.createDirectories(file.getParent());
                Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
                Files.deleteIfExists(tmp);
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(tmp, token + "\n");
                Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                log.info("created the admin API token in {} (mode 0600)", file);
            }
            register(ADMIN, "admin token from " + file, token);
            return token;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the admin token to " + file + ": " + e.getMessage(), e);
        }
    }

    /** Stores a token's hash for {@code owner}; storing the same token twice is a no-op. */
    public void register(String owner, String description, String token) {
        db.inTransaction(c -> {
            try (var st = c.prepareStatement("""
                    insert into api_tokens (owner, description, token_sha256) values (?, ?, ?)
                    on conflict (token_sha256) do nothing""")) {
                st.setString(1, owner);
                st.setString(2, description);
                st.setBytes(3, sha256(token));
                return st.executeUpdate();
            }
        });
    }

    /** The principal a presented token belongs to, if any. */
    public Optional<Principal> authenticate(String token) {
        return db.inTransaction(c -> {
            try (var st = c.prepareStatement("select owner, description from api_tokens where token_sha256 = ?")) {
                st.setBytes(1, sha256(token));
                var rs = st.executeQuery();
                return rs.next() ? Optional.of(new Principal(rs.getString(1), rs.getString(2))) : Optional.empty();
            }
        });
    }

    private String newToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return "slp_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
