package io.slipway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.api.BuildView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** The {@code builds} topic: what each {@code git push} built. */
final class BuildCommands {
    private BuildCommands() {}

    @Command(name = "builds", mixinStandardHelpOptions = true, versionProvider = CliVersion.class,
            description = {"List an app's builds, newest first: number, status, commit, buildpack, who, when."})
    static final class ListBuilds implements Callable<Integer> {
        private final Invocation inv;

        @Mixin
        AppOption appOption;

        @Option(names = "--json", description = "Print the API's JSON.")
        boolean json;

        @Spec
        CommandSpec spec;

        ListBuilds(Invocation inv) {
            this.inv = inv;
        }

        @Override
        public Integer call() {
            String app = inv.app(appOption.app, spec);
            ApiClient api = inv.api();
            JsonNode node = api.get(Invocation.appPath(app, "builds"));
            if (json) {
                inv.printJson(node);
                return 0;
            }
            BuildView[] builds = api.convert(node, BuildView[].class);
            if (builds.length == 0) {
                inv.out().print(app + " has no builds yet: `git push slipway main` builds it\n");
                return 0;
            }
            Listing.header(inv.out(), app + " Builds");
            List<List<String>> rows = new ArrayList<>();
            for (BuildView b : builds) {
                rows.add(List.of(String.valueOf(b.number()), text(b.status()), shortCommit(b.commit()),
                        text(b.buildpack()), text(b.createdBy()), Times.at(b.createdAt())));
            }
            Listing.columns(inv.out(), rows);
            return 0;
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
