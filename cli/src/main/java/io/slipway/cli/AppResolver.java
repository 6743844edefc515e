package io.slipway.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
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
    private static final long GIT_TIMEOUT_SECONDS = 10;

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
        return git(ctx, ctx.cwd(), "config", "--get", "remote." + REMOTE + ".url");
    }

    private static Optional<String> git(CliContext ctx, Path dir, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("git", "-C", dir.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .redirectInput(ProcessBuilder.Redirect.PIPE);
        builder.environment().clear();
        builder.environment().putAll(ctx.env());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return Optional.empty(); // no git installed: there is no remote to read
        }
        try {
            process.getOutputStream().close();
            String output = readAll(process.getInputStream());
            if (!process.waitFor(GIT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return Optional.empty();
            }
            String value = output.strip();
            return process.exitValue() == 0 && !value.isEmpty() ? Optional.of(value) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return Optional.empty();
        }
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        in.transferTo(buffer);
        return buffer.toString(StandardCharsets.UTF_8);
    }
}
