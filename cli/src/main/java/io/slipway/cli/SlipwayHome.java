package io.slipway.cli;

import java.nio.file.Path;

/** Where the CLI keeps its state: {@code $SLIPWAY_HOME}, by default {@code ~/.slipway}. */
final class SlipwayHome {
    static final String CREDENTIALS_FILE = "credentials.json";
    static final String ADMIN_TOKEN_FILE = "admin-token";

    private SlipwayHome() {}

    static Path of(CliContext ctx) {
        return ctx.var("SLIPWAY_HOME")
                .map(Path::of)
                .orElseGet(() -> Path.of(ctx.var("HOME").orElseGet(() -> System.getProperty("user.home")), ".slipway"))
                .toAbsolutePath();
    }
}
