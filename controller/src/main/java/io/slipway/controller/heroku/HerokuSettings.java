package io.slipway.controller.heroku;

import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Where the controller serves what the Heroku CLI reaches outside the plain HTTP API: the API over
 * HTTPS ({@code SLIPWAY_API_TLS_PORT}), whose {@code https://HOST/<app>.git} is the git remote the
 * CLI computes, and {@code heroku run}'s rendezvous ({@code SLIPWAY_RENDEZVOUS_PORT}); both with the
 * platform's certificate ({@code SLIPWAY_TLS_CERT}/{@code SLIPWAY_TLS_KEY}, else the one the router
 * keeps in {@code $SLIPWAY_HOME/tls/}). Each port is next to the API port unless told, or {@code off}.
 *
 * @param domain   the platform's domain: the certificate names it, so the rendezvous is reached by it
 */
public record HerokuSettings(OptionalInt apiTlsPort, OptionalInt rendezvousPort, Path certFile, Path keyFile,
                             String domain) {
    static final String CERT = "tls/platform.crt";
    static final String KEY = "tls/platform.key";

    public static HerokuSettings fromEnv(Map<String, String> env, Path home, int apiPort, String domain) {
        String cert = env.get("SLIPWAY_TLS_CERT");
        String key = env.get("SLIPWAY_TLS_KEY");
        if ((cert == null || cert.isBlank()) != (key == null || key.isBlank())) {
            throw new IllegalArgumentException("SLIPWAY_TLS_CERT and SLIPWAY_TLS_KEY go together: set both or neither");
        }
        boolean given = cert != null && !cert.isBlank();
        OptionalInt tls = port(env, "SLIPWAY_API_TLS_PORT", apiPort + 2);
        OptionalInt rendezvous = port(env, "SLIPWAY_RENDEZVOUS_PORT", apiPort + 3);
        if (tls.isPresent() && tls.equals(rendezvous)) {
            throw new IllegalArgumentException("SLIPWAY_API_TLS_PORT and SLIPWAY_RENDEZVOUS_PORT are both "
                    + tls.getAsInt() + "; they need two ports");
        }
        return new HerokuSettings(tls, rendezvous, given ? Path.of(cert) : home.resolve(CERT),
                given ? Path.of(key) : home.resolve(KEY), domain);
    }

    /** The API's HTTPS listener, or null when it is off. */
    public io.slipway.controller.http.ApiServer.Https https() {
        return apiTlsPort.isEmpty() ? null
                : new io.slipway.controller.http.ApiServer.Https(apiTlsPort.getAsInt(), PlatformTls.context(this));
    }

    /** A port number, {@code 0} for any free one (tests), or {@code off}. */
    static OptionalInt port(Map<String, String> env, String name, int fallback) {
        String raw = env.getOrDefault(name, "").strip();
        if (raw.isEmpty()) {
            return OptionalInt.of(fallback);
        }
        if (raw.equalsIgnoreCase("off")) {
            return OptionalInt.empty();
        }
        try {
            int n = Integer.parseInt(raw);
            if (n < 0 || n > 65535) {
                throw new NumberFormatException();
            }
            return OptionalInt.of(n);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a port number (1-65535) or off, got '" + raw + "'");
        }
    }
}
