package io.slipway.router;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * The platform's secret for request lines sent to the controller, {@code $SLIPWAY_HOME/log-key}
 * (mode 0600): the controller takes a datagram only with its tag, the first 16 bytes of the
 * HMAC-SHA256 of the rest, in hex ({@code <32 hex> <app> router <line>}). A copy of the
 * controller's {@code LogKey} (the router does not depend on the controller): either side creates
 * the file when it starts first. One instance per thread: {@link DatagramLines} signs on the request
 * log's writer thread, never on an IO thread.
 */
final class LogKey {
    static final String FILE = "log-key";
    static final int TAG_CHARS = 32;
    private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final Mac mac;
    private final byte[] digest = new byte[32];

    private LogKey(byte[] key) {
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** The key in {@code file}, created (0600) when there is none yet. */
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
            return new LogKey(HexFormat.of().parseHex(hex));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the log key " + file + ": " + e.getMessage(), e);
        }
    }

    /** Written aside and linked into place, so a reader never sees half a key and two creators agree on one. */
    private static void create(Path file) throws IOException {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Files.createDirectories(file.getParent());
        Path tmp = Files.createTempFile(file.getParent(), ".log-key-", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(tmp, HexFormat.of().formatHex(key) + "\n", StandardCharsets.US_ASCII);
            Files.createLink(file, tmp);
        } catch (FileAlreadyExistsException other) {
            // the controller made it first: use that one
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Writes the tag of {@code datagram[from, to)} as {@link #TAG_CHARS} hex digits at
     * {@code datagram[at]}, without allocating: this runs once per request line.
     */
    void sign(byte[] datagram, int from, int to, int at) {
        mac.update(datagram, from, to - from);
        try {
            mac.doFinal(digest, 0);
        } catch (ShortBufferException e) {
            throw new IllegalStateException(e); // 32 bytes is what SHA-256 gives
        }
        for (int i = 0; i < TAG_CHARS / 2; i++) {
            datagram[at + 2 * i] = HEX_DIGITS[(digest[i] >> 4) & 0xf];
            datagram[at + 2 * i + 1] = HEX_DIGITS[digest[i] & 0xf];
        }
    }

    @Override
    public String toString() {
        return "LogKey[****]";
    }
}
