package io.slipway.router;

import io.slipway.keys.CertKey;
import java.nio.file.Path;
import java.util.Map;

/**
 * How the router serves HTTPS.
 *
 * @param port     the TLS port ({@code SLIPWAY_ROUTER_TLS_PORT}, default 8443; 0 picks a free one in tests)
 * @param certFile the platform certificate for {@code *.SLIPWAY_DOMAIN}, PEM, leaf first ({@code SLIPWAY_TLS_CERT});
 *                 null: a self-signed one kept under {@code home/tls/}
 * @param keyFile  its private key, PEM ({@code SLIPWAY_TLS_KEY})
 * @param home     {@code $SLIPWAY_HOME}: the self-signed certificate and the key that seals app keys ({@code cert-key})
 * @param engine   whose TLS does the handshakes ({@code SLIPWAY_ROUTER_TLS_ENGINE})
 */
record TlsSettings(int port, Path certFile, Path keyFile, Path home, Engine engine) {
    static final int DEFAULT_PORT = 8443;

    /**
     * {@code auto} (the default): BoringSSL when its native library loads on this machine, else the
     * JDK's; {@code openssl}: BoringSSL or no start; {@code jdk}: the JDK's JSSE always.
     */
    enum Engine {
        AUTO, OPENSSL, JDK;

        static Engine parse(String raw) {
            for (Engine e : values()) {
                if (e.name().equalsIgnoreCase(raw.trim())) {
                    return e;
                }
            }
            throw new IllegalArgumentException("SLIPWAY_ROUTER_TLS_ENGINE must be auto, openssl or jdk, got '" + raw + "'");
        }
    }

    TlsSettings(int port, Path certFile, Path keyFile, Path home) {
        this(port, certFile, keyFile, home, Engine.AUTO);
    }

    TlsSettings {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("SLIPWAY_ROUTER_TLS_PORT must be a port number (1-65535), got " + port);
        }
        if ((certFile == null) != (keyFile == null)) {
            throw new IllegalArgumentException("SLIPWAY_TLS_CERT and SLIPWAY_TLS_KEY go together: set both (PEM files) or neither "
                    + "(a self-signed certificate is made under SLIPWAY_HOME/tls)");
        }
        if (engine == null) {
            engine = Engine.AUTO;
        }
        if (home == null) {
            throw new IllegalArgumentException("TLS needs SLIPWAY_HOME for the certificate key");
        }
    }

    /** From the environment; null when {@code SLIPWAY_ROUTER_TLS_PORT=off}. */
    static TlsSettings fromEnv(Map<String, String> env, Path home) {
        String raw = env.getOrDefault("SLIPWAY_ROUTER_TLS_PORT", Integer.toString(DEFAULT_PORT)).trim();
        if (raw.equalsIgnoreCase("off")) {
            return null;
        }
        int port;
        try {
            port = Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("SLIPWAY_ROUTER_TLS_PORT must be a port number or 'off', got '" + raw + "'");
        }
        if (port == 0) {
            throw new IllegalArgumentException("SLIPWAY_ROUTER_TLS_PORT must be a port number (1-65535) or 'off', got 0");
        }
        return new TlsSettings(port, path(env.get("SLIPWAY_TLS_CERT")), path(env.get("SLIPWAY_TLS_KEY")), home,
                Engine.parse(env.getOrDefault("SLIPWAY_ROUTER_TLS_ENGINE", "auto")));
    }

    private static Path path(String s) {
        return s == null || s.isBlank() ? null : Path.of(s.trim());
    }

    Path certKeyFile() {
        return home.resolve(CertKey.FILE);
    }
}
