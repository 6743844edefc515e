package io.slipway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.api.DynoView;
import io.slipway.api.FormationUpdate;
import io.slipway.api.FormationView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The {@code ps} topic: an app's dynos, how many of each process type run, restarting and stopping them. */
final class PsCommands {
    private PsCommands() {}

    @Command(name = "ps", mixinStandardHelpOptions = true, versionProvider = CliVersion.class,
            description = {"List an app's dynos by process type: state (up, starting, crashed, restarting in N s), "
                    + "since when, and release."})
    static final class ListDynos extends AppCommand {
        @Option(names = "--json", description = "Print the API's JSON.")
        boolean json;

        ListDynos(Invocation inv) {
            super(inv);
        }

        @Override
        public Integer call() {
            String app = app();
            ApiClient api = inv.api();
            JsonNode node = api.get(Invocation.appPath(app, "dynos"));
            if (json) {
                inv.printJson(node);
                return 0;
            }
            List<DynoView> dynos = Arrays.asList(api.convert(node, DynoView[].class));
            if (dynos.isEmpty()) {
                inv.out().print("No dynos on " + app + "\n");
                return 0;
            }
            Instant now = inv.ctx().clock().instant();
            Map<String, List<DynoView>> byType = dynos.stream()
                    .sorted(Comparator.comparing(PsCommands::typeOrder).thenComparingInt(PsCommands::index))
                    .collect(Collectors.groupingBy(PsCommands::type, LinkedHashMap::new, Collectors.toList()));
            boolean first = true;
            for (Map.Entry<String, List<DynoView>> group : byType.entrySet()) {
                if (!first) {
                    inv.out().print("\n");
                }
                first = false;
                String command = group.getValue().getFirst().command();
                Listing.header(inv.out(), group.getKey() + " (" + group.getValue().size() + ")"
                        + (command == null || command.isBlank() ? "" : ": " + ApiClient.oneLine(command)));
                for (DynoView dyno : group.getValue()) {
                    inv.out().print(line(dyno, now) + "\n");
                }
            }
            return 0;
        }
    }

    /**
     * {@code web.1: up 2026-11-24T13:00:00Z (~ 5m ago) v3}, with {@code on node-2} on Docker Swarm, and
     * {@code , restarting in 8 s} for a crashed dyno that will be retried.
     */
    static String line(DynoView dyno, Instant now) {
        boolean retrying = dyno.restartAt() != null && dyno.restartAt().isAfter(now)
                && ("crashed".equals(dyno.state()) || "restarting".equals(dyno.state()));
        StringBuilder line = new StringBuilder(dyno.name()).append(": ")
                .append(retrying ? "crashed" : BuildCommands.text(dyno.state()));
        if (dyno.startedAt() != null) {
            line.append(' ').append(Times.at(dyno.startedAt()))
                    .append(" (").append(Times.age(dyno.startedAt(), now)).append(" ago)");
        }
        if (dyno.release() != null) {
            line.append(' ').append(dyno.release());
        }
        if (dyno.node() != null) {
            line.append(" on ").append(dyno.node());
        }
        if (retrying) {
            line.append(", restarting in ").append(Times.secondsUntil(dyno.restartAt(), now)).append(" s");
        }
        return line.toString();
    }

    private static String type(DynoView dyno) {
        return dyno.type() != null ? dyno.type() : dyno.name().replaceFirst("\\.[^.]*$", "");
    }

    /** web first, as it is what people look for, then the other types by name. */
    private static String typeOrder(DynoView dyno) {
        return (type(dyno).equals("web") ? "0" : "1") + type(dyno);
    }

    /** {@code web.10} after {@code web.9}. */
    private static int index(DynoView dyno) {
        String name = dyno.name();
        try {
            return Integer.parseInt(name.substring(name.lastIndexOf('.') + 1));
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }

    @Command(name = "ps:scale", mixinStandardHelpOptions = true, versionProvider = CliVersion.class,
            description = {"Set how many dynos of each process type run (and their size): ps:scale web=3 worker=1:standard.",
                    "0 stops every dyno of the type."})
    static final class Scale extends AppCommand {
        @Parameters(arity = "1..*", paramLabel = "TYPE=N[:SIZE]", description = "Process types and their quantity.")
        List<String> arguments = new ArrayList<>();

        Scale(Invocation inv) {
            super(inv);
        }

        @Override
        public Integer call() {
            List<FormationUpdate.Item> updates;
            try {
                updates = ScaleArguments.parse(arguments);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            String app = app();
            ApiClient api = inv.api();
            Progress.run(inv, "Scaling dynos",
                    () -> api.patch(Invocation.appPath(app, "formation"), new FormationUpdate(updates)),
                    answer -> "done, now running " + running(api, answer, updates));
            return 0;
        }

        /** {@code web at 3:standard, worker at 1:standard}, from the formation the platform answered with. */
        private static String running(ApiClient api, JsonNode answer, List<FormationUpdate.Item> updates) {
            Map<String, FormationView> formation = new LinkedHashMap<>();
            if (answer != null && answer.isArray()) {
                for (FormationView f : api.convert(answer, FormationView[].class)) {
                    formation.put(f.type(), f);
                }
            } else if (answer != null && answer.isObject()) {
                FormationView f = api.convert(answer, FormationView.class);
                formation.put(f.type(), f);
            }
            List<String> parts = new ArrayList<>();
            for (FormationUpdate.Item item : updates) {
                FormationView f = formation.get(item.type());
                int quantity = f != null ? f.quantity() : item.quantity();
                String size = f != null ? f.size() : item.size();
                parts.add(item.type() + " at " + quantity + (size == null ? "" : ":" + size));
            }
            return String.join(", ", parts);
        }
    }

    @Command(name = "ps:restart", mixinStandardHelpOptions = true, versionProvider = CliVersion.class,
            description = {"Restart an app's dynos: all of them, those of one process type (web), or one dyno (web.1).",
                    "Web dynos are replaced one at a time, each fresh one taking traffic before its old one stops,"
                            + " so the app keeps serving; other dynos stop, then start afresh."})
    static final class Restart extends AppCommand {
        @Parameters(index = "0", arity = "0..1", paramLabel = "TYPE|DYNO", description = "web, or web.1. Default: every dyno.")
        String which;

        Restart(Invocation inv) {
            super(inv);
        }

        @Override
        public Integer call() {
            String app = app();
            ApiClient api = inv.api();
            String path = which == null ? Invocation.appPath(app, "dynos")
                    : Invocation.appPath(app, "dynos", ApiClient.segment(which));
            Progress.run(inv, "Restarting " + dynos(which) + " on " + app, () -> api.delete(path), PsCommands::done);
            return 0;
        }
    }

    @Command(name = "ps:stop", mixinStandardHelpOptions = true, versionProvider = CliVersion.class,
            description = {"Stop a dyno (web.1) or every dyno of a type (web): SIGTERM, then SIGKILL after the platform's grace period.",
                    "As on Heroku, a stopped dyno of the formation starts afresh (scale to 0 to keep it stopped);"
                            + " web dynos go one at a time, each fresh one taking traffic before its old one stops."})
    static final class Stop extends AppCommand {
        @Parameters(index = "0", paramLabel = "DYNO", description = "The dyno, as web.1, or a process type, as web.")
        String dyno;

        Stop(Invocation inv) {
            super(inv);
        }

        @Override
        public Integer call() {
            String app = app();
            ApiClient api = inv.api();
            Progress.run(inv, "Stopping " + dynos(dyno) + " on " + app,
                    () -> api.post(Invocation.appPath(app, "dynos", ApiClient.segment(dyno), "actions", "stop"), null),
                    PsCommands::done);
            return 0;
        }
    }

    /** {@code done}, and how the platform goes about it when it says ({@code web dynos are replaced one at a time ...}). */
    static String done(JsonNode answer) {
        String how = answer == null ? "" : answer.path("message").asText("");
        return how.isBlank() ? "done" : "done: " + ApiClient.oneLine(how);
    }

    /** {@code dynos}, {@code web dynos} or {@code web.1 dyno}: what an action is about. */
    static String dynos(String which) {
        if (which == null) {
            return "dynos";
        }
        String shown = ConfigAssignments.printable(which);
        return which.contains(".") ? shown + " dyno" : shown + " dynos";
    }
}
