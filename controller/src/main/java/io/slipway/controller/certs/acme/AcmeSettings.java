package io.slipway.controller.certs.acme;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How the controller gets automatic certificates, from its environment:
 * {@code SLIPWAY_ACME_DIRECTORY} (the ACME server, Let's Encrypt's by default),
 * {@code SLIPWAY_ACME_CA_BUNDLE} (PEM certificates to trust for that server's HTTPS instead of the
 * JDK's, for a private or test CA), {@code SLIPWAY_ACME_RENEW_BEFORE} (how long before expiry a
 * certificate is renewed) and {@code SLIPWAY_ACME_CHECK_EVERY} (how often the renewal job looks).
 */
public record AcmeSettings(URI directory, Path caBundle, Duration renewBefore, Duration checkEvery) {
    public static final String LETS_ENCRYPT = "https://acme-v02.api.letsencrypt.org/directory";
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*([smhd]?)");

    public AcmeSettings {
        if (!"https".equals(directory.getScheme()) && !"http".equals(directory.getScheme())) {
            throw new IllegalArgumentException("SLIPWAY_ACME_DIRECTORY must be an https:// URL of an ACME directory, got '" + directory + "'");
        }
        if (caBundle != null && !Files.isReadable(caBundle)) {
            throw new IllegalArgumentException("SLIPWAY_ACME_CA_BUNDLE " + caBundle + " cannot be read; give a PEM file of CA certificates or unset it");
        }
        if (checkEvery.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("SLIPWAY_ACME_CHECK_EVERY must be at least 1s, got " + checkEvery);
        }
    }

    public static AcmeSettings fromEnv(Map<String, String> env) {
        String bundle = env.get("SLIPWAY_ACME_CA_BUNDLE");
        return new AcmeSettings(
                URI.create(env.getOrDefault("SLIPWAY_ACME_DIRECTORY", LETS_ENCRYPT).strip()),
                bundle == null || bundle.isBlank() ? null : Path.of(bundle.strip()),
                duration(env, "SLIPWAY_ACME_RENEW_BEFORE", Duration.ofDays(30)),
                duration(env, "SLIPWAY_ACME_CHECK_EVERY", Duration.ofMinutes(5)));
    }

    /** {@code 30d}, {@code 720h}, {@code 15m}, {@code 90s} or a number of seconds. */
    static Duration duration(Map<String, String> env, String name, Duration fallback) {
        String raw = env.get(name);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        var m = DURATION.matcher(raw.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException(name + " must be a duration like 30d, 720h, 15m or 90s, got '" + raw + "'");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "d" -> Duration.ofDays(n);
            case "h" -> Duration.ofHours(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofSeconds(n);
        };
    }
}
