package io.slipway.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Which platform the CLI talks to, and with which token. Resolved in this order:
 * <ol>
 *   <li>{@code SLIPWAY_API_URL} and {@code SLIPWAY_API_TOKEN} from the environment;</li>
 *   <li>{@code $SLIPWAY_HOME/credentials.json}, written by {@code slipway login};</li>
 *   <li>the local platform: {@code http://${SLIPWAY_BIND:-127.0.0.1}:${SLIPWAY_API_PORT:-5050}} with the
 *       token {@code ./slipway up} wrote to {@code $SLIPWAY_HOME/admin-token}.</li>
 * </ol>
 * Either variable may be set alone: the URL then comes from the next source, and a token is only
 * taken from a file that was written for that same URL, so a saved token is never sent to a
 * platform it was not issued by.
 *
 * @param url         the API's base URL, without a trailing slash
 * @param token       the bearer token
 * @param tokenSource where the token came from, for messages when the platform rejects it
 */
record ApiTarget(String url, String token, String tokenSource) {
    static final String DEFAULT_BIND = "127.0.0.1";
    static final String DEFAULT_PORT = "5050";

    /** Never prints the token. */
    @Override
    public String toString() {
        return "ApiTarget[url=" + url + ", token from " + tokenSource + "]";
    }

    static ApiTarget resolve(CliContext ctx) {
        Path home = SlipwayHome.of(ctx);
        Optional<Credentials> saved = Credentials.read(home);
        String url = url(ctx, saved);
        Optional<String> envToken = ctx.var("SLIPWAY_API_TOKEN");
        if (envToken.isPresent()) {
            return new ApiTarget(url, envToken.get().strip(), "SLIPWAY_API_TOKEN");
        }
        if (saved.isPresent() && sameUrl(saved.get().apiUrl(), url)) {
            return new ApiTarget(url, saved.get().token(), Credentials.file(home) + " (slipway login)");
        }
        if (sameUrl(url, localUrl(ctx))) {
            Optional<String> admin = adminToken(home);
            if (admin.isPresent()) {
                return new ApiTarget(url, admin.get(), home.resolve(SlipwayHome.ADMIN_TOKEN_FILE).toString());
            }
            throw new CliException("no API token for the local platform at " + url + ": start it with `./slipway up` "
                    + "(it writes " + home.resolve(SlipwayHome.ADMIN_TOKEN_FILE) + "), or run `slipway login`");
        }
        throw new CliException("no API token for " + url + ": run `slipway login --api-url " + url
                + "` or set SLIPWAY_API_TOKEN");
    }

    /** The URL alone, as {@link #resolve} would pick it; needs no token (for {@code /healthz}). */
    static String url(CliContext ctx) {
        return url(ctx, Credentials.read(SlipwayHome.of(ctx)));
    }

    private static String url(CliContext ctx, Optional<Credentials> saved) {
        return ctx.var("SLIPWAY_API_URL")
                .or(() -> saved.map(Credentials::apiUrl))
                .map(ApiTarget::normalize)
                .orElseGet(() -> localUrl(ctx));
    }

    /** Where {@code ./slipway up} listens on this host. A wildcard bind is reached through loopback. */
    static String localUrl(CliContext ctx) {
        String bind = ctx.var("SLIPWAY_BIND").orElse(DEFAULT_BIND).strip();
        String port = ctx.var("SLIPWAY_API_PORT").orElse(DEFAULT_PORT).strip();
        String host = switch (bind) {
            case "0.0.0.0" -> "127.0.0.1";
            case "::", "[::]" -> "[::1]";
            default -> bind.contains(":") && !bind.startsWith("[") ? "[" + bind + "]" : bind;
        };
        return "http://" + host + ":" + port;
    }

    static String normalize(String url) {
        String trimmed = url.strip();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed;
    }

    private static boolean sameUrl(String a, String b) {
        return normalize(a).equalsIgnoreCase(normalize(b));
    }

    private static Optional<String> adminToken(Path home) {
        Path file = home.resolve(SlipwayHome.ADMIN_TOKEN_FILE);
        try {
            String token = Files.readString(file, StandardCharsets.UTF_8).strip();
            return token.isEmpty() ? Optional.empty() : Optional.of(token);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new CliException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
