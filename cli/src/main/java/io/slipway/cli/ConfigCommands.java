package io.slipway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slipway.api.Json;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The {@code config} topic: an app's config vars, which the platform injects into its dynos as environment. */
final class ConfigCommands {
    private ConfigCommands() {}

    @Command(name = "config", mixinStandardHelpOptions = true, versionProvider = CliVersion.class,
            description = "Show an app's config vars.")
    static final class Show extends AppCommand {
        @ArgGroup(exclusive = true)
        Format format = new Format();

        static final class Format {
            @Option(names = "--json", description = "Print the API's JSON.")
            boolean json;

            @Option(names = "--shell", description = "Print KEY='value' lines, quoted for a POSIX shell (to source or eval).")
            boolean shell;
        }

        Show(Invocation inv) {
            super(inv);
        }

        @Override
        public Integer call() {
            String app = app();
            JsonNode vars = inv.api().get(Invocation.appPath(app, "config-vars"));
            if (format.json) {
                inv.printJson(vars);
                return 0;
            }
            Map<String, String> sorted = new TreeMap<>(values(vars));
            if (format.shell) {
                sorted.forEach((key, value) -> inv.out().print(ShellQuote.assignment(key, value) + "\n"));
                return 0;
            }
            Listing.header(inv.out(), app + " Config Vars");
            Listing.aligned(inv.out(), sorted);
            return 0;
        }
    }

    @Command(name = "config:get", mixinStandardHelpOptions = true, versionProvider = CliVersion.class,
            description = "Print one config var's value exactly as stored, followed by a newline.")
    static final class Get extends AppCommand {
        @Parameters(index = "0", paramLabel = "KEY", description = "The config var.")
        String key;

        Get(Invocation inv) {
            super(inv);
        }

        @Override
        public Integer call() {
            String app = app();
            Map<String, String> vars = values(inv.api().get(Invocation.appPath(app, "config-vars")));
            String value = vars.get(key);
            if (value == null) {
                throw new CliException("no config var " + ConfigAssignments.printable(key) + " on " + app);
            }
            inv.out().print(value);
            inv.out().print('\n');
            inv.out().flush();
            return 0;
        }
    }

    @Command(name = "config:set", mixinStandardHelpOptions = true, versionProvider = CliVersion.class,
            description = {"Set config vars and restart the app's dynos.",
                    "A value is everything after the first '=', so it may hold '=', spaces and newlines: "
                            + "config:set \"PEM=$(cat key.pem)\"."})
    static final class Set extends AppCommand {
        @Parameters(arity = "1..*", paramLabel = "KEY=VALUE", description = "Config vars to set.")
        List<String> assignments = new ArrayList<>();

        Set(Invocation inv) {
            super(inv);
        }

        @Override
        public Integer call() {
            Map<String, String> vars;
            try {
                vars = ConfigAssignments.parse(assignments);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            String app = app();
            ObjectNode body = Json.mapper().createObjectNode();
            vars.forEach(body::put);
            ApiClient api = inv.api();
            Map<String, String> after = Progress.run(inv,
                    "Setting " + String.join(", ", vars.keySet()) + " and restarting " + app,
                    () -> values(api.patch(Invocation.appPath(app, "config-vars"), body)), result -> "done");
            Map<String, String> shown = new LinkedHashMap<>();
            vars.keySet().forEach(key -> shown.put(key, after.getOrDefault(key, vars.get(key))));
            Listing.aligned(inv.out(), shown);
            return 0;
        }
    }

    @Command(name = "config:unset", mixinStandardHelpOptions = true, versionProvider = CliVersion.class,
            description = "Remove config vars and restart the app's dynos.")
    static final class Unset extends AppCommand {
        @Parameters(arity = "1..*", paramLabel = "KEY", description = "Config vars to remove.")
        List<String> keys = new ArrayList<>();

        Unset(Invocation inv) {
            super(inv);
        }

        @Override
        public Integer call() {
            String app = app();
            java.util.Set<String> unique = new LinkedHashSet<>(keys);
            ObjectNode body = Json.mapper().createObjectNode();
            unique.forEach(body::putNull);
            ApiClient api = inv.api();
            Progress.run(inv, "Unsetting " + String.join(", ", unique) + " and restarting " + app,
                    () -> api.patch(Invocation.appPath(app, "config-vars"), body), result -> "done");
            return 0;
        }
    }

    /** The {@code {"KEY": "value"}} object of the config-vars endpoints as a map, in the API's order. */
    static Map<String, String> values(JsonNode vars) {
        if (vars == null || !vars.isObject()) {
            throw new CliException("the platform answered with config vars that are not a JSON object");
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> var : vars.properties()) {
            if (!var.getValue().isNull()) {
                map.put(var.getKey(), var.getValue().asText());
            }
        }
        return map;
    }
}
