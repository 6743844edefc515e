package io.slipway.cli;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which app a command is about: {@code -a/--app}, else {@code SLIPWAY_APP}, else the app named by
 * the {@code slipway} git remote of the working directory ({@code …/git/<app>.git}), as Heroku
 * infers it from its {@code heroku} remote.
 */
final class AppResolver {
    static final String REMOTE = "slipway";
    static final String NO_APP = "no app given: pass -a APP or run inside a checkout with a slipway git remote";

    private static final Pattern GIT_URL = Pattern.compile("/git/([^/]+)\\.git/*$");

    private AppResolver() {}

    /** The app, or empty when neither flag, variable nor remote names one. */
    static Optional<String> resolve(String option, CliContext ctx) {
        if (option != null && !option.isBlank()) {
            return Optional.of(option.strip());
        }
        return ctx.var("SLIPWAY_APP").map(String::strip)
                .or(() -> remoteUrl(ctx).flatMap(AppResolver::appFromRemoteUrl));
    }

    /** {@code http://host:5050/git/shop.git} → {@code shop}; anything else → empty. */
    static Optional<String> appFromRemoteUrl(String url) {
        if (url == null) {
            return Optional.empty();
        }
        Matcher m = GIT_URL.matcher(url.strip());
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** {@code git -C <cwd> config --get remote.slipway.url}; empty outside a checkout or without git. */
    static Optional<String> remoteUrl(CliContext ctx) {
        try {
            LocalGit.Result r = LocalGit.run(ctx, "config", "--get", "remote." + REMOTE + ".url");
            return r.ok() && !r.value().isEmpty() ? Optional.of(r.value()) : Optional.empty();
        } catch (CliException e) {
            return Optional.empty(); // no git installed (or it hung): there is no remote to read
        }
    }
}
