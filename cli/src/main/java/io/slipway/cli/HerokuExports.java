package io.slipway.cli;

import io.slipway.api.HerokuSetup;
import java.nio.file.Path;

/**
 * The shell lines {@code slipway heroku:env} prints: everything the unmodified Heroku CLI, and the git
 * it drives, need to work against this platform, and nothing sent anywhere else.
 */
final class HerokuExports {
    private HerokuExports() {}

    /**
     * @param setup    the platform's answer to {@code GET /platform/heroku}; null from a controller without it
     * @param certFile where the platform certificate was saved; null when there is none
     */
    static String of(ApiTarget target, HerokuSetup setup, Path certFile) {
        StringBuilder out = new StringBuilder()
                .append(export("HEROKU_HOST", target.url()))
                .append(export("HEROKU_API_KEY", target.token()))
                // The CLI also asks particleboard.heroku.com about /account on every `heroku run`, with this
                // token: asked here instead, it answers at once and the token stays on this platform.
                .append(export("HEROKU_PARTICLEBOARD_URL", target.url()))
                // Its usage reports (also carrying the token) go to Heroku otherwise.
                .append(export("DISABLE_TELEMETRY", "true"));
        if (setup == null) {
            return out.append("# this platform does not say where git and `heroku run` reach it (an older controller)\n")
                    .toString();
        }
        // The data verbs (pg:info, pg:backups, redis:info) call Heroku's Data API at this host, with the API's
        // scheme, port and token: Slipway serves it on the API. Its add-on services are called postgres and redis.
        out.append(export("HEROKU_DATA_HOST", java.net.URI.create(target.url()).getHost()))
                .append(export("HEROKU_POSTGRESQL_ADDON_NAME", "postgres"))
                .append(export("HEROKU_REDIS_ADDON_NAME", "redis"));
        if (setup.gitHost() != null) {
            out.append(export("HEROKU_GIT_HOST", setup.gitHost()));
        }
        if (certFile == null) {
            out.append("# the platform has no certificate yet (its router makes one when it starts): until then "
                    + "`git push heroku` and `heroku run` cannot reach it over TLS\n");
        } else {
            out.append(export("NODE_EXTRA_CA_CERTS", certFile.toString()));
            if (setup.gitHost() != null) {
                // git trusts the certificate for this platform's URL only, as long as the shell lives.
                String key = "http.https://" + setup.gitHost() + "/.sslCAInfo";
                out.append(export("GIT_CONFIG_COUNT", "1"))
                        .append(export("GIT_CONFIG_KEY_0", key))
                        .append(export("GIT_CONFIG_VALUE_0", certFile.toString()))
                        .append("# for good: git config --global ").append(ShellQuote.quote(key)).append(' ')
                        .append(ShellQuote.quote(certFile.toString())).append('\n');
            }
        }
        return out.toString();
    }

    private static String export(String name, String value) {
        return "export " + name + "=" + ShellQuote.quote(value) + "\n";
    }
}
