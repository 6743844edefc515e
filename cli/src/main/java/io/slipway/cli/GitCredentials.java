package io.slipway.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Git's credential-helper protocol (gitcredentials(7)): git writes {@code key=value} lines and a
 * blank line; for {@code get}, the helper answers {@code username=} and {@code password=} lines,
 * or nothing when it has no credentials for that host. Slipway answers only for the origin
 * (scheme, host and port) of the platform whose token it holds, so the token never goes to
 * another server even if the helper were configured for one.
 */
final class GitCredentials {
    static final String USERNAME = "slipway";
    /** Far more than any request git sends; a bound, so a runaway stdin cannot fill the heap. */
    private static final int MAX_REQUEST_BYTES = 64 * 1024;

    private GitCredentials() {}

    /** The request's attributes, up to the first blank line or the end of input; the last of a repeated key wins. */
    static Map<String, String> read(InputStream in) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            int previous = '\n';
            for (int b = in.read(); b != -1; b = in.read()) {
                if (b == '\n' && previous == '\n') {
                    break;
                }
                if (bytes.size() >= MAX_REQUEST_BYTES) {
                    throw new CliException("git sent a credential request over " + MAX_REQUEST_BYTES / 1024 + " KiB");
                }
                bytes.write(b);
                previous = b;
            }
        } catch (IOException e) {
            throw new CliException("cannot read git's credential request: " + e.getMessage(), e);
        }
        Map<String, String> request = new LinkedHashMap<>();
        for (String line : bytes.toString(StandardCharsets.UTF_8).split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                request.put(line.substring(0, eq), line.substring(eq + 1).replaceFirst("\r$", ""));
            }
        }
        return request;
    }

    /** Whether git asks about the platform at {@code apiUrl}: same protocol, host and port. */
    static boolean isFor(Map<String, String> request, String apiUrl) {
        Optional<Origin> api = Origin.ofUrl(apiUrl);
        Optional<Origin> asked = Origin.of(request.get("protocol"), request.get("host"));
        return api.isPresent() && api.equals(asked);
    }

    /** The lines that answer a {@code get}; empty when the token cannot be sent as a credential line. */
    static String answer(String token) {
        if (token.indexOf('\n') >= 0 || token.indexOf('\0') >= 0) {
            return "";
        }
        return "username=" + USERNAME + "\npassword=" + token + "\n";
    }

    /** {@code http://127.0.0.1:5050/git/shop.git} → {@code http://127.0.0.1:5050}: what git matches a {@code credential.<url>} key against. */
    static Optional<String> base(String url) {
        return Origin.ofUrl(url).map(o -> {
            URI uri = URI.create(url.strip());
            return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getRawAuthority().replaceFirst("^.*@", "");
        });
    }

    /** Whether two URLs share scheme, host and port, as git and the credential helper see them. */
    static boolean sameOrigin(String a, String b) {
        Optional<Origin> first = Origin.ofUrl(a);
        return first.isPresent() && first.equals(Origin.ofUrl(b));
    }

    /** Scheme, lowercase host and effective port (80/443 when none is written). */
    record Origin(String scheme, String host, int port) {
        static Optional<Origin> ofUrl(String url) {
            if (url == null) {
                return Optional.empty();
            }
            try {
                URI uri = URI.create(url.strip());
                if (uri.getScheme() == null || uri.getHost() == null) {
                    return Optional.empty();
                }
                return of(uri.getScheme(), uri.getHost(), uri.getPort());
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }

        /** From git's {@code protocol=http} and {@code host=127.0.0.1:5050} (or {@code [::1]:5050}, or no port). */
        static Optional<Origin> of(String protocol, String hostAndPort) {
            if (protocol == null || hostAndPort == null || hostAndPort.isEmpty()) {
                return Optional.empty();
            }
            int colon = hostAndPort.lastIndexOf(':');
            if (colon < 0 || hostAndPort.lastIndexOf(']') > colon) {
                return of(protocol, hostAndPort, -1);
            }
            try {
                return of(protocol, hostAndPort.substring(0, colon), Integer.parseInt(hostAndPort.substring(colon + 1)));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }

        private static Optional<Origin> of(String scheme, String host, int port) {
            String s = scheme.toLowerCase(Locale.ROOT);
            int effective = port >= 0 ? port : switch (s) {
                case "http" -> 80;
                case "https" -> 443;
                default -> -1;
            };
            if (effective < 0 || host.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new Origin(s, host.toLowerCase(Locale.ROOT), effective));
        }
    }
}
