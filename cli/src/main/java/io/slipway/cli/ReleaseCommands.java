package io.slipway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.api.ReleaseView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code releases} topic: numbered releases (a build plus config), their details, and rolling back to one. */
final class ReleaseCommands {
    private static final Pattern VERSION = Pattern.compile("[vV]?([0-9]{1,9})");

    private ReleaseCommands() {}

    @Command(name = "releases", mixinStandardHelpOptions = true, versionProvider = CliVersion.class,
            description = "List an app's releases, newest first, marking the current one.")
    static final class ListReleases extends AppCommand {
        @Option(names = "--json", description = "Print the API's JSON.")
        boolean json;

        ListReleases(Invocation inv) {
            super(inv);
        }

        @Override
        public Integer call() {
            String app = app();
            return inv.list(Invocation.appPath(app, "releases"), json, ReleaseView[].class,
                    app + " has no releases yet: `git push slipway main` makes v1", app + " Releases", List.of(),
                    r -> List.of("v" + r.version(), BuildCommands.text(r.description()),
                            BuildCommands.text(r.createdBy()), Times.at(r.createdAt()), marker(r)));
        }

        /** {@code (current)} for the live one; any state but live is shown too ({@code booting}, {@code failed}…). */
        private static String marker(ReleaseView r) {
            List<String> marks = new ArrayList<>();
            String state = r.state() != null ? r.state().replace('_', ' ') : r.status();
            if (state != null && !state.equals("live") && !state.equals("succeeded")) {
                marks.add(state);
            }
            if (r.current()) {
                marks.add("current");
            }
            return marks.isEmpty() ? "" : "(" + String.join(", ", marks) + ")";
        }
    }

    @Command(name = "releases:info", mixinStandardHelpOptions = true, versionProvider = CliVersion.class,
            description = "Show one release: what changed, who and when, its build, image, process types and config vars.")
    static final class Info extends AppCommand {
        @Parameters(index = "0", paramLabel = "vN", description = "The release, as v3 (or 3).")
        String release;

        @Option(names = "--json", description = "Print the API's JSON.")
        boolean json;

        Info(Invocation inv) {
            super(inv);
        }

        @Override
        public Integer call() {
            String version = version(release, spec);
            String app = app();
            ApiClient api = inv.api();
            JsonNode node = api.get(Invocation.appPath(app, "releases", version));
            if (json) {
                inv.printJson(node);
                return 0;
            }
            ReleaseView r = api.convert(node, ReleaseView.class);
            Listing.header(inv.out(), "Release v" + r.version());
            Map<String, String> rows = new LinkedHashMap<>();
            rows.put("Change", BuildCommands.text(r.description()));
            rows.put("By", BuildCommands.text(r.createdBy()));
            rows.put("When", Times.at(r.createdAt()));
            rows.put("Status", BuildCommands.text(r.state() != null ? r.state().replace('_', ' ') : r.status())
                    + (r.current() ? " (current)" : ""));

            if (r.buildNumber() != null) {
                rows.put("Build", String.valueOf(r.buildNumber()));
            }
            if (r.commit() != null) {
                rows.put("Commit", r.commit());
            }
            if (r.image() != null) {
                rows.put("Image", r.image());
            }
            Listing.aligned(inv.out(), rows);
            if (r.failure() != null) {
                inv.out().print("\n");
                Listing.header(inv.out(), "v" + r.version() + " Failure");
                inv.out().print(r.failure() + "\n");
            }
            if (r.processTypes() != null && !r.processTypes().isEmpty()) {
                inv.out().print("\n");
                Listing.header(inv.out(), "v" + r.version() + " Process Types");
                Listing.aligned(inv.out(), new TreeMap<>(r.processTypes()));
            }
            inv.out().print("\n");
            Listing.header(inv.out(), "v" + r.version() + " Config Vars");
            Listing.aligned(inv.out(), r.config() == null ? Map.of() : new TreeMap<>(r.config()));
            return 0;
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true, versionProvider = CliVersion.class,
            description = {"Make a new release from an earlier one's build and config, and roll the dynos over to it.",
                    "Without vN, rolls back to the release before the current one."})
    static final class Rollback extends AppCommand {
        @Parameters(index = "0", arity = "0..1", paramLabel = "vN", description = "The release to go back to, as v3.")
        String release;

        Rollback(Invocation inv) {
            super(inv);
        }

        @Override
        public Integer call() {
            String target = release == null ? null : version(release, spec);
            String app = app();
            ApiClient api = inv.api();
            Progress.run(inv, "Rolling back " + app + (target == null ? "" : " to " + target),
                    () -> api.convert(api.post(Invocation.appPath(app, "releases"),
                            new io.slipway.api.Rollback(target)), ReleaseView.class),
                    r -> "done, v" + r.version() + (target == null && r.description() != null
                            ? " (" + r.description() + ")" : ""));
            return 0;
        }
    }

    /** {@code v3}, {@code V3} or {@code 3} → {@code v3}; anything else is a usage error. */
    static String version(String argument, CommandSpec spec) {
        Matcher m = VERSION.matcher(argument.strip());
        if (!m.matches()) {
            throw new ParameterException(spec.commandLine(),
                    "'" + ConfigAssignments.printable(argument) + "' is not a release version: use the form v3");
        }
        return "v" + Integer.parseInt(m.group(1));
    }
}
