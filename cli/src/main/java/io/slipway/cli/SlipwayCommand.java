package io.slipway.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** The root {@code slipway} command: on its own it prints the list of verbs. */
@Command(name = "slipway", mixinStandardHelpOptions = true, versionProvider = CliVersion.class,
        description = "Slipway, a self-hosted PaaS: deploy with `git push slipway main`, manage apps from here.",
        synopsisSubcommandLabel = "COMMAND",
        footerHeading = "%nEnvironment:%n",
        footer = {
                "  SLIPWAY_APP        the app when -a is not given (else the slipway git remote)",
                "  SLIPWAY_API_URL    the platform's API (default: saved by login, else local)",
                "  SLIPWAY_API_TOKEN  its token (default: saved by login, else the admin token)",
                "  SLIPWAY_HOME       state and credentials (default: ~/.slipway)",
                "  SLIPWAY_BIND       where the local platform listens (default: 127.0.0.1)",
                "  SLIPWAY_API_PORT   the local platform's API port (default: 5050)",
                "  SLIPWAY_DEBUG=1    show stack traces on errors"})
final class SlipwayCommand implements Callable<Integer> {
    private final Invocation inv;

    @Spec
    CommandSpec spec;

    SlipwayCommand(Invocation inv) {
        this.inv = inv;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(inv.out());
        return 0;
    }
}
