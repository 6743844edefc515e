package io.slipway.cli;

import picocli.CommandLine.Option;

/** {@code -a/--app}, mixed into every verb that acts on one app. */
final class AppOption {
    @Option(names = {"-a", "--app"}, paramLabel = "APP",
            description = "The app. Default: $SLIPWAY_APP, else the app of this checkout's `slipway` git remote.")
    String app;
}
