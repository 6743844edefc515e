package io.slipway.cli;

import io.slipway.api.BuildView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;

/** The {@code builds} topic: what each {@code git push} built. */
final class BuildCommands {
    private BuildCommands() {}

    @Command(name = "builds", mixinStandardHelpOptions = true, versionProvider = CliVersion.class,
            description = {"List an app's builds, newest first: number, status, commit, buildpack, who, when."})
    static final class ListBuilds extends AppCommand {
        @Option(names = "--json", description = "Print the API's JSON.")
        boolean json;

        ListBuilds(Invocation inv) {
            super(inv);
        }

        @Override
        public Integer call() {
            String app = app();
            return inv.list(Invocation.appPath(app, "builds"), json, BuildView[].class,
                    app + " has no builds yet: `git push slipway main` builds it", app + " Builds", List.of(),
                    b -> List.of(String.valueOf(b.number()), text(b.status()), shortCommit(b.commit()),
                            text(b.buildpack()), text(b.createdBy()), Times.at(b.createdAt())));
        }
    }

    /** The first 7 characters of a commit id, as git abbreviates it. */
    static String shortCommit(String commit) {
        return commit == null ? "" : commit.length() <= 7 ? commit : commit.substring(0, 7);
    }

    static String text(String value) {
        return value == null ? "" : value;
    }
}
