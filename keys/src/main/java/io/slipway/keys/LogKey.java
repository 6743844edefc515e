package io.slipway.keys;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * The platform's secret for router log lines, {@code $SLIPWAY_HOME/log-key}: each datagram carries
 * a tag, the first 16 bytes of its HMAC-SHA256 in hex, so that a process on the host that cannot
 * read the file cannot put lines into an app's log. The format is the contract between router
 * (which signs) and controller (which verifies): {@code <32 hex> <app> <process> <text>}.
 * Not thread-safe: one instance per thread ({@link #copy()}).
 */
public final class LogKey {
    public static final String FILE = "log-key";
    /** Hex characters of a tag: 16 bytes of the HMAC, plenty against guessing, short on the wire. */
    public static final int TAG_CHARS = 32;
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final SecretKeySpec key;
    private final Mac mac;
    private final byte[] digest = new byte[32];

    private LogKey(byte[] key) {
        this.key = new SecretKeySpec(key, "HmacSHA256");
        try {
            this.mac = Mac.getInstance("HmacSHA256");
            mac.init(this.key);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** The key of the platform whose state is under {@code home}, made (0600) when there is none yet. */
    public static LogKey underHome(Path home) {
        return readOrCreate(home.resolve(FILE));
    }

    public static LogKey readOrCreate(Path file) {
        return new LogKey(PlatformSecret.readOrCreate(file, "log key",
                "delete it and restart the controller and router to make a new one"));
    }

    /**
     * Writes the tag of {@code datagram[from, to)} as {@link #TAG_CHARS} hex digits at
     * {@code datagram[at]}, without allocating: the router does this once per request line.
     */
    public void sign(byte[] datagram, int from, int to, int at) {
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

    /** The tag of {@code body} (hex, {@link #TAG_CHARS} characters). */
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
        return MessageDigest.isEqual(expected, Arrays.copyOf(datagram, TAG_CHARS));
    }

    /** Another instance on the same key, for another thread. */
    public LogKey copy() {
        return new LogKey(key.getEncoded());
    }

    @Override
    public String toString() {
        return "LogKey[****]"; // never the key itself
    }
}
