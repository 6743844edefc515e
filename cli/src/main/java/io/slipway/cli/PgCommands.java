package io.slipway.cli;

import io.slipway.api.Json;
import io.slipway.api.PgInfoView;
import io.slipway.api.PsqlRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@code pg} topic: an app's PostgreSQL add-ons, reached through the platform (never a port opened on the host). */
final class PgCommands {
    private PgCommands() {}

    @Command(name = "pg:psql", mixinStandardHelpOptions = true, versionProvider = CliVersion.class,
            description = {"Open psql on the app's PostgreSQL (DATABASE unless named), with a terminal when this is one.",
                    "-c runs one command and exits with psql's exit code: pg:psql -a shop -c 'select count(*) from items'."})
    static final class Psql extends AppCommand {
        @Parameters(arity = "0..1", paramLabel = "DATABASE", description = "The add-on or its attachment name (default: DATABASE).")
        String database;

        @Option(names = {"-c", "--command"}, paramLabel = "SQL", description = "One command to run, then exit.")
        String command;

        Psql(Invocation inv) {
            super(inv);
        }

        @Override
        public Integer call() {
            String app = app();
            AttachedRun run = new AttachedRun(inv, Invocation.appPath(app, "psql"),
                    "Connecting to " + (database == null ? "DATABASE" : database) + " on " + app, RawMode.Hooks.RUNTIME);
            Optional<Tty.Size> terminal = run.size();
            return run.run(Json.mapper().valueToTree(new PsqlRequest(database, command, run.withTty(),
                    terminal.map(Tty.Size::columns).orElse(null), terminal.map(Tty.Size::lines).orElse(null))));
        }
    }

    @Command(name = "pg:info", mixinStandardHelpOptions = true, versionProvider = CliVersion.class,
            description = "Show the app's PostgreSQL add-ons: state, server version, data size, connections, tables.")
    static final class Info extends AppCommand {
        @Option(names = "--json", description = "Print the API's JSON.")
        boolean json;

        Info(Invocation inv) {
            super(inv);
        }

        @Override
        public Integer call() {
            String app = app();
            ApiClient api = inv.api();
            var node = api.get(Invocation.appPath(app, "pg-info"));
            if (json) {
                inv.printJson(node);
                return 0;
            }
            List<PgInfoView> databases = Arrays.asList(api.convert(node, PgInfoView[].class));
            boolean first = true;
            for (PgInfoView db : databases) {
                if (!first) {
                    inv.out().print("\n");
                }
                first = false;
                Listing.header(inv.out(), db.attachedAs().isEmpty() ? db.name()
                        : String.join(", ", db.attachedAs().stream().map(n -> n + "_URL").toList()));
                Map<String, String> rows = new LinkedHashMap<>();
                rows.put("Add-on", db.name());
                rows.put("Status", db.state());
                rows.put("PG Version", db.serverVersion() == null ? "-" : db.serverVersion());
                rows.put("Data Size", AddonCommands.size(db.sizeBytes()));
                rows.put("Connections", db.connections() == null ? "-" : db.connections().toString());
                rows.put("Tables", db.tables() == null ? "-" : db.tables().toString());
                Listing.aligned(inv.out(), rows);
            }
            return 0;
        }
    }
}
