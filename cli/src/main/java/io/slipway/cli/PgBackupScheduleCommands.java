package io.slipway.cli;

import io.slipway.api.BackupScheduleView;
import io.slipway.api.ScheduleBackups;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

/** {@code pg:backups:schedule}, {@code pg:backups:schedules} and {@code pg:backups:unschedule}: daily backups of an app's PostgreSQL. */
final class PgBackupScheduleCommands {
    private PgBackupScheduleCommands() {}

    @Command(name = "pg:backups:schedule", mixinStandardHelpOptions = true, versionProvider = CliVersion.class,
            description = {"Back up the app's PostgreSQL (DATABASE unless named) every day at a time, keeping the newest N "
                    + "scheduled backups: pg:backups:schedule -a shop --at '02:00' --tz Europe/Paris --keep 7."})
    static final class Schedule extends AppCommand {
        @Parameters(arity = "0..1", paramLabel = "DATABASE", description = "The add-on or its attachment name (default: DATABASE).")
        String database;

        @Option(names = "--at", paramLabel = "HH:MM", required = true, description = "The time of day (24 hours).")
        String at;

        @Option(names = "--tz", paramLabel = "ZONE", description = "An IANA time zone (default: UTC).")
        String timezone;

        @Option(names = "--keep", paramLabel = "N", description = "Scheduled backups kept (default: 7).")
        Integer keep;

        Schedule(Invocation inv) {
            super(inv);
        }

        @Override
        public Integer call() {
            String app = app();
            ApiClient api = inv.api();
            Progress.run(inv, "Scheduling daily backups of " + (database == null ? "DATABASE" : database) + " on " + app,
                    () -> api.convert(api.post(Invocation.appPath(app, "backup-schedules"),
                            new ScheduleBackups(database, at, timezone, keep)), BackupScheduleView.class),
                    s -> "done, " + s.addon() + " at " + s.at() + " " + s.timezone() + ", keeping " + s.keep()
                            + (s.nextRunAt() == null ? "" : ", next " + Times.at(s.nextRunAt())));
            return 0;
        }
    }

    @Command(name = "pg:backups:schedules", mixinStandardHelpOptions = true, versionProvider = CliVersion.class,
            description = "List the app's backup schedules: which add-on, when, how many kept, the next run.")
    static final class Schedules extends AppCommand {
        @Option(names = "--json", description = "Print the API's JSON.")
        boolean json;

        Schedules(Invocation inv) {
            super(inv);
        }

        @Override
        public Integer call() {
            String app = app();
            return inv.list(Invocation.appPath(app, "backup-schedules"), json, BackupScheduleView[].class,
                    "No backup schedules on " + app + "; add one: slipway pg:backups:schedule -a " + app + " --at 02:00",
                    app + " Backup Schedules", List.of("Add-on", "At", "Time zone", "Keep", "Next run", "By"),
                    s -> List.of(s.addon(), s.at(), s.timezone(), String.valueOf(s.keep()),
                            s.nextRunAt() == null ? "-" : Times.at(s.nextRunAt()), s.createdBy()));
        }
    }

    @Command(name = "pg:backups:unschedule", mixinStandardHelpOptions = true, versionProvider = CliVersion.class,
            description = {"Stop the daily backups of the app's PostgreSQL (DATABASE unless named); the backups already "
                    + "taken stay: pg:backups:unschedule -a shop."})
    static final class Unschedule extends AppCommand {
        @Parameters(arity = "0..1", paramLabel = "DATABASE", description = "The add-on or its attachment name (default: DATABASE).")
        String database;

        Unschedule(Invocation inv) {
            super(inv);
        }

        @Override
        public Integer call() {
            String app = app();
            ApiClient api = inv.api();
            Progress.run(inv, "Removing the backup schedule of " + (database == null ? "DATABASE" : database) + " on " + app,
                    () -> api.convert(api.delete(Invocation.appPath(app, "backup-schedules")
                            + (database == null ? "" : "?database=" + ApiClient.segment(database))), BackupScheduleView.class),
                    s -> "done, " + s.addon() + " was backed up daily at " + s.at() + " " + s.timezone()
                            + "; its backups stay (slipway pg:backups -a " + app + ")");
            return 0;
        }
    }
}
