package io.slipway.cli;

import io.slipway.api.CreateSchedule;
import io.slipway.api.ScheduleRunView;
import io.slipway.api.ScheduleView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The {@code schedules} topic: commands the platform runs as one-off dynos on a cron schedule,
 * and what each firing did. Whether a cron expression or a timezone is valid is the platform's
 * call (it answers with the expected form), so the rule lives in one place.
 */
final class ScheduleCommands {
    static final List<String> OVERLAPS = List.of("skip", "allow");
    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private ScheduleCommands() {}

    @Command(name = "schedules", mixinStandardHelpOptions = true, versionProvider = CliVersion.class,
            description = "List an app's scheduled jobs: id, cron, timezone, overlap policy, next run and command.")
    static final class ListSchedules extends AppCommand {
        @Option(names = "--json", description = "Print the API's JSON.")
        boolean json;

        ListSchedules(Invocation inv) {
            super(inv);
        }

        @Override
        public Integer call() {
            String app = app();
            // A cron expression has spaces of its own: a header row keeps the columns readable.
            return inv.list(Invocation.appPath(app, "schedules"), json, ScheduleView[].class,
                    app + " has no schedules: `slipway schedules:add --cron \"*/10 * * * *\" -- CMD` adds one",
                    app + " Schedules", List.of("id", "cron", "timezone", "overlap", "next run", "command"),
                    s -> List.of(shortId(s.id()), BuildCommands.text(s.cron()), BuildCommands.text(s.timezone()),
                            BuildCommands.text(s.overlap()), Times.at(s.nextRunAt()), BuildCommands.text(s.command())));
        }
    }

    @Command(name = "schedules:add", mixinStandardHelpOptions = true, versionProvider = CliVersion.class,
            description = {"Run a command on a schedule, each time in a one-off dyno from the current release: "
                    + "schedules:add --cron \"*/10 * * * *\" -- python report.py.",
                    "The cron expression has five fields: minute hour day-of-month month day-of-week."})
    static final class Add extends AppCommand {
        @Option(names = "--cron", required = true, paramLabel = "EXPR",
                description = "When, as five cron fields: \"*/10 * * * *\" is every ten minutes.")
        String cron;

        @Option(names = {"--timezone", "--tz"}, paramLabel = "ZONE",
                description = "The timezone the cron fields are read in, as Europe/Paris. Default: UTC.")
        String timezone;

        @Option(names = "--overlap", paramLabel = "POLICY",
                description = "When the previous run is still going: skip (the default) or allow.")
        String overlap;

        @Parameters(arity = "0..*", paramLabel = "CMD", description = "The command and its arguments.")
        List<String> words = new ArrayList<>();

        Add(Invocation inv) {
            super(inv);
        }

        @Override
        public Integer call() {
            String command = CommandWords.join(words);
            if (command.isEmpty()) {
                throw new ParameterException(spec.commandLine(),
                        "no command to schedule: slipway schedules:add --cron EXPR -- CMD...");
            }
            String policy = overlap == null ? null : overlap.strip().toLowerCase(Locale.ROOT);
            if (policy != null && !OVERLAPS.contains(policy)) {
                throw new ParameterException(spec.commandLine(), "--overlap '" + ConfigAssignments.printable(overlap)
                        + "' is not one of " + String.join(", ", OVERLAPS));
            }
            String app = app();
            ApiClient api = inv.api();
            ScheduleView added = api.convert(api.post(Invocation.appPath(app, "schedules"),
                    new CreateSchedule(cron, command, timezone, policy)), ScheduleView.class);
            StringBuilder line = new StringBuilder("Added schedule ").append(shortId(added.id())).append(": ")
                    .append(BuildCommands.text(added.cron() != null ? added.cron() : cron))
                    .append(" (").append(added.timezone() != null ? added.timezone() : timezone == null ? "UTC" : timezone)
                    .append(") runs ").append(ApiClient.oneLine(added.command() != null ? added.command() : command));
            if (added.nextRunAt() != null) {
                line.append("; next at ").append(Times.at(added.nextRunAt()));
            }
            inv.out().print(line + "\n");
            return 0;
        }
    }

    @Command(name = "schedules:remove", mixinStandardHelpOptions = true, versionProvider = CliVersion.class,
            description = "Remove a scheduled job (a run already going finishes).")
    static final class Remove extends AppCommand {
        @Parameters(index = "0", paramLabel = "ID", description = "The schedule's id, as `slipway schedules` lists it.")
        String id;

        Remove(Invocation inv) {
            super(inv);
        }

        @Override
        public Integer call() {
            String app = app();
            ApiClient api = inv.api();
            Progress.run(inv, "Removing schedule " + ConfigAssignments.printable(id) + " from " + app,
                    () -> api.delete(Invocation.appPath(app, "schedules", ApiClient.segment(id))), removed -> "done");
            return 0;
        }
    }

    @Command(name = "schedules:history", mixinStandardHelpOptions = true, versionProvider = CliVersion.class,
            description = "What the scheduled jobs did, newest first: when, which schedule, dyno, status, "
                    + "exit code and the first line of output.")
    static final class History extends AppCommand {
        @Parameters(index = "0", arity = "0..1", paramLabel = "ID", description = "Only this schedule's runs.")
        String id;

        @Option(names = "--json", description = "Print the API's JSON.")
        boolean json;

        History(Invocation inv) {
            super(inv);
        }

        @Override
        public Integer call() {
            String app = app();
            String path = id == null ? Invocation.appPath(app, "schedule-runs")
                    : Invocation.appPath(app, "schedules", ApiClient.segment(id), "history");
            return inv.list(path, json, ScheduleRunView[].class,
                    (id == null ? app + "'s schedules have" : "schedule " + id + " has") + " not run yet",
                    app + " Schedule Runs", List.of("started", "schedule", "dyno", "status", "exit", "output"),
                    run -> List.of(Times.at(run.startedAt()), shortId(run.scheduleId()),
                            BuildCommands.text(run.dyno()), BuildCommands.text(run.status()),
                            run.exitCode() == null ? "" : String.valueOf(run.exitCode()), firstLine(run.output())));
        }
    }

    /**
     * A UUID as its first 8 characters, as git shortens commits: the platform takes any unique
     * start of an id, and the listings stay readable. {@code --json} has the whole id.
     */
    static String shortId(String id) {
        return id == null ? "" : UUID.matcher(id).matches() ? id.substring(0, 8) : id;
    }

    /** The first non-blank line of a run's output, which is usually the one that says what happened. */
    static String firstLine(String output) {
        if (output == null) {
            return "";
        }
        return output.lines().filter(line -> !line.isBlank()).findFirst().map(String::strip).orElse("");
    }
}
