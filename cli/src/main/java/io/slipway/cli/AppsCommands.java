package io.slipway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.api.AppInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** The {@code apps} topic: list, create, inspect and destroy apps. */
final class AppsCommands {
    private AppsCommands() {}

    @Command(name = "apps", mixinStandardHelpOptions = true, versionProvider = CliVersion.class,
            description = "List your apps.")
    static final class ListApps implements Callable<Integer> {
        private final Invocation inv;

        @Option(names = "--json", description = "Print the API's JSON.")
        boolean json;

        ListApps(Invocation inv) {
            this.inv = inv;
        }

        @Override
        public Integer call() {
            JsonNode apps = inv.api().get("/apps");
            if (json) {
                inv.printJson(apps);
                return 0;
            }
            if (apps.isEmpty()) {
                inv.out().print("You have no apps.\n");
                return 0;
            }
            Listing.header(inv.out(), "Apps");
            for (JsonNode app : apps) {
                inv.out().print(app.path("name").asText() + "\n");
            }
            return 0;
        }
    }

    @Command(name = "apps:create", mixinStandardHelpOptions = true, versionProvider = CliVersion.class,
            description = "Create an app. Without NAME the platform picks one.")
    static final class Create implements Callable<Integer> {
        private final Invocation inv;

        @Parameters(arity = "0..1", paramLabel = "NAME",
                description = "A DNS label: lowercase letters, digits and hyphens, starting with a letter.")
        String name;

        Create(Invocation inv) {
            this.inv = inv;
        }

        @Override
        public Integer call() {
            Map<String, String> body = name == null ? Map.of() : Map.of("name", name);
            ApiClient api = inv.api();
            AppInfo app = Progress.run(inv, "Creating " + (name == null ? "app" : name),
                    () -> api.convert(api.post("/apps", body), AppInfo.class),
                    created -> name == null ? "done, " + created.name() : "done");
            inv.out().print(app.webUrl() + " | " + app.gitUrl() + "\n");
            return 0;
        }
    }

    @Command(name = "apps:info", mixinStandardHelpOptions = true, versionProvider = CliVersion.class,
            description = "Show an app's URLs and dates.")
    static final class Info extends AppCommand {
        @Option(names = "--json", description = "Print the API's JSON.")
        boolean json;

        Info(Invocation inv) {
            super(inv);
        }

        @Override
        public Integer call() {
            String app = app();
            JsonNode node = inv.api().get(Invocation.appPath(app));
            if (json) {
                inv.printJson(node);
                return 0;
            }
            AppInfo info = inv.api().convert(node, AppInfo.class);
            Listing.header(inv.out(), info.name());
            Map<String, String> rows = new LinkedHashMap<>();
            rows.put("Git URL", info.gitUrl());
            rows.put("Web URL", info.webUrl());
            rows.put("Created", Times.at(info.createdAt()));
            Listing.aligned(inv.out(), rows);
            return 0;
        }
    }

    @Command(name = "apps:destroy", mixinStandardHelpOptions = true, versionProvider = CliVersion.class,
            description = {"Permanently destroy an app, its config and everything else it owns.",
                    "Asks for the name twice: NAME (or -a) and --confirm NAME must match."})
    static final class Destroy extends AppCommand {
        @Parameters(arity = "0..1", paramLabel = "NAME", description = "The app to destroy (or use -a).")
        String name;
        @Option(names = "--confirm", paramLabel = "NAME", description = "The app's name again, to confirm.")
        String confirm;

        Destroy(Invocation inv) {
            super(inv);
        }

        @Override
        public Integer call() {
            if (name != null && appOption.app != null && !name.equals(appOption.app)) {
                throw new ParameterException(spec.commandLine(),
                        "NAME and -a name different apps (" + name + ", " + appOption.app + ")");
            }
            String app = name != null ? name : app();
            if (!app.equals(confirm)) {
                throw new CliException((confirm == null
                        ? "this permanently destroys " + app
                        : "--confirm " + confirm + " does not match " + app + ", nothing destroyed")
                        + ": re-run with --confirm " + app);
            }
            ApiClient api = inv.api();
            Progress.run(inv, "Destroying " + app, () -> api.delete(Invocation.appPath(app)), deleted -> "done");
            return 0;
        }
    }
}
