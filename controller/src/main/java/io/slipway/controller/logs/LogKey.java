package io.slipway.controller.logs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The platform's secret for router log lines, {@code $SLIPWAY_HOME/log-key} (mode 0600): each
 * datagram carries a tag, the first 16 bytes of its HMAC-SHA256 in hex, so a process on the host
 * that cannot read the file cannot put lines into an app's log. Whichever of controller and router
 * starts first creates it; both read the same file. The router keeps a copy of this class (it does
 * not depend on the controller); the format is the contract: {@code <32 hex> <app> <process> <text>}.
 */
public final class LogKey {
    public static final String FILE = "log-key";
    /** Hex characters of a tag: 16 bytes of the HMAC, plenty against guessing, short on the wire. */
    public static final int TAG_CHARS = 32;
    private static final HexFormat HEX = HexFormat.of();

    private final SecretKeySpec key;
    private final Mac mac;

    private LogKey(byte[] key) {
        this.key = new SecretKeySpec(key, "HmacSHA256");
        this.mac = newMac(this.key);
    }

    /** The key of the platform whose state is under {@code home}, created (0600) when there is none yet. */
    public static LogKey underHome(Path home) {
        return readOrCreate(home.resolve(FILE));
    }

    static LogKey readOrCreate(Path file) {
        try {
            if (!Files.exists(file)) {
                create(file);
            }
            String hex = Files.readString(file, StandardCharsets.US_ASCII).strip();
            if (!hex.matches("[0-9a-f]{64}")) {
                throw new IllegalStateException(file + " is not a Slipway log key (64 hex digits); delete it and restart "
                        + "the controller and router to make a new one");
            }
            return new LogKey(HEX.parseHex(hex));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the log key " + file + ": " + e.getMessage(), e);
        }
    }

    /** Written aside and linked into place, so a reader never sees half a key and two creators agree on one. */
    private static void create(Path file) throws IOException {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Path tmp = Files.createTempFile(file.getParent(), ".log-key-", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(tmp, HEX.formatHex(key) + "\n", StandardCharsets.US_ASCII);
            Files.createLink(file, tmp);
        } catch (FileAlreadyExistsException other) {
            // another process made it first: use theirs
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The tag of {@code body} (hex, {@link #TAG_CHARS} characters). Not thread-safe: one per thread. */
    public String tag(byte[] body, int offset, int length) {
        mac.update(body, offset, length);
        return HEX.formatHex(mac.doFinal(), 0, TAG_CHARS / 2);
    }

    /** Whether {@code datagram} is {@code <tag> <body>} with the right tag for its body; compared in constant time. */
    public boolean verifies(byte[] datagram, int length) {
        if (length <= TAG_CHARS || datagram[TAG_CHARS] != ' ') {
            return false;
        }
        byte[] expected = tag(datagram, TAG_CHARS + 1, length - TAG_CHARS - 1).getBytes(StandardCharsets.US_ASCII);
        byte[] given = java.util.Arrays.copyOf(datagram, TAG_CHARS);
        return MessageDigest.isEqual(expected, given);
    }

    /** Another instance on the same key, for another thread. */
    public LogKey copy() {
        return new LogKey(key.getEncoded());
    }

    private static Mac newMac(SecretKeySpec key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    @Override
    public String toString() {
        return "LogKey[****]"; // never the key itself
    }
}
