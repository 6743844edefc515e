package io.slipway.cli;

import io.slipway.api.BackupView;
import io.slipway.api.CaptureBackup;
import io.slipway.api.RestoreView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;

/** {@code pg:backups:*}: verified backups of an app's PostgreSQL add-ons, restored and downloaded through the platform. */
final class PgBackupCommands {
    /** How long capture and restore are waited for (a large database takes a while). */
    static final Duration WAIT = Duration.ofHours(6);
    static final long POLL_MS = 250;

    private PgBackupCommands() {}

    @Command(name = "pg:backups", mixinStandardHelpOptions = true, versionProvider = CliVersion.class,
            description = "List the app's backups: id, when, status, size, verified, of which add-on.")
    static final class ListBackups extends AppCommand {
        @Option(names = "--json", description = "Print the API's JSON.")
        boolean json;

        ListBackups(Invocation inv) {
            super(inv);
        }

        @Override
        public Integer call() {
            String app = app();
            return inv.list(Invocation.appPath(app, "backups"), json, BackupView[].class, "No backups of " + app,
                    app + " Backups", List.of("Id", "Taken", "Status", "Size", "Verified", "Add-on", "Trigger"),
                    b -> List.of(b.id(), Times.at(b.startedAt()), b.status() + (b.failure() == null ? ""
                                    : ": " + ApiClient.oneLine(b.failure())), AddonCommands.size(b.sizeBytes()),
                            b.verified() ? "yes" : "no", b.addon() + (b.addonDestroyed() ? " (destroyed)" : ""), b.trigger()));
        }
    }

    @Command(name = "pg:backups:capture", mixinStandardHelpOptions = true, versionProvider = CliVersion.class,
            description = {"Back up the app's PostgreSQL (DATABASE unless named) with pg_dump -Fc, verified with pg_restore "
                    + "before it is called done. Exits non-zero when the backup failed."})
    static final class Capture extends AppCommand {
        @Parameters(arity = "0..1", paramLabel = "DATABASE", description = "The add-on or its attachment name (default: DATABASE).")
        String database;

        Capture(Invocation inv) {
            super(inv);
        }

        @Override
        public Integer call() {
            String app = app();
            ApiClient api = inv.api();
            BackupView started = api.convert(api.post(Invocation.appPath(app, "backups"), new CaptureBackup(database)),
                    BackupView.class);
            Progress.run(inv, started.id() + " of " + started.addon() + " on " + app, () -> {
                BackupView b = await(() -> api.convert(api.get(Invocation.appPath(app, "backups", started.id())),
                        BackupView.class), v -> v.status().equals("running"), started.id());
                if (!b.status().equals("done")) {
                    throw new CliException(b.id() + " failed: " + ApiClient.oneLine(b.failure()));
                }
                return b;
            }, b -> "done, " + AddonCommands.size(b.sizeBytes()) + ", verified");
            return 0;
        }
    }

    @Command(name = "pg:backups:restore", mixinStandardHelpOptions = true, versionProvider = CliVersion.class,
            description = {"Replace the data of the add-on a backup was taken of with that backup (pg_restore --clean "
                    + "--if-exists, in one transaction), once its file is checked against its SHA-256: "
                    + "pg:backups:restore b001 -a shop --confirm shop."})
    static final class Restore extends AppCommand {
        @Parameters(index = "0", paramLabel = "BACKUP", description = "The backup (b001).")
        String backup;

        @Option(names = "--confirm", paramLabel = "APP", description = "The app, to confirm.")
        String confirm;

        Restore(Invocation inv) {
            super(inv);
        }

        @Override
        public Integer call() {
            String app = app();
            ApiClient api = inv.api();
            String path = Invocation.appPath(app, "backups", ApiClient.segment(backup), "restores")
                    + (confirm == null ? "" : "?confirm=" + ApiClient.segment(confirm));
            Progress.run(inv, "Restoring " + backup + " on " + app, () -> {
                RestoreView started = api.convert(api.post(path, null), RestoreView.class);
                RestoreView r = await(() -> api.convert(api.get(Invocation.appPath(app, "backup-restores", started.id())),
                        RestoreView.class), v -> v.status().equals("running"), "the restore of " + backup);
                if (!r.status().equals("done")) {
                    throw new CliException("restoring " + backup + " failed: " + ApiClient.oneLine(r.message()));
                }
                return r;
            }, r -> "done, " + r.message());
            return 0;
        }
    }

    @Command(name = "pg:backups:download", mixinStandardHelpOptions = true, versionProvider = CliVersion.class,
            description = {"Download a backup (a pg_dump custom-format file, for pg_restore) to a file, checking its SHA-256: "
                    + "pg:backups:download b001 -a shop -o shop.dump."})
    static final class Download extends AppCommand {
        @Parameters(index = "0", paramLabel = "BACKUP", description = "The backup (b001).")
        String backup;

        @Option(names = {"-o", "--output"}, paramLabel = "FILE", required = true, description = "Where to write it.")
        Path output;

        Download(Invocation inv) {
            super(inv);
        }

        @Override
        public Integer call() {
            String app = app();
            ApiClient api = inv.api();
            Progress.run(inv, "Downloading " + backup + " of " + app + " to " + output, () -> {
                BackupView b = api.convert(api.get(Invocation.appPath(app, "backups", ApiClient.segment(backup))),
                        BackupView.class);
                Path partial = output.toAbsolutePath().resolveSibling("." + output.getFileName() + ".partial");
                try (InputStream in = api.stream(Invocation.appPath(app, "backups", ApiClient.segment(backup), "download"), true);
                     DigestInputStream digest = new DigestInputStream(in, MessageDigest.getInstance("SHA-256"));
                     OutputStream out = Files.newOutputStream(partial)) {
                    long size = digest.transferTo(out);
                    String sha = HexFormat.of().formatHex(digest.getMessageDigest().digest());
                    if (size != b.sizeBytes() || !sha.equals(b.sha256())) {
                        throw new CliException("the download of " + backup + " is not what was verified (" + size
                                + " bytes, SHA-256 " + sha + "; expected " + b.sizeBytes() + " bytes, " + b.sha256()
                                + "): nothing was written to " + output + "; try again");
                    }
                    out.close();
                    Files.move(partial, output, StandardCopyOption.REPLACE_EXISTING);
                } catch (IOException | NoSuchAlgorithmException e) {
                    throw new CliException("downloading " + backup + " failed: " + e.getMessage() + "; nothing was written to "
                            + output, e);
                } finally {
                    deleteQuietly(partial);
                }
                return b;
            }, b -> "done, " + AddonCommands.size(b.sizeBytes()) + ", SHA-256 " + b.sha256().substring(0, 12) + "… checked");
            return 0;
        }

        /** Only the whole, checked file takes the output's name; what is left of a failed one goes. */
        private static void deleteQuietly(Path partial) {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException ignored) {
                // a leftover partial file says nothing wrong about the backup
            }
        }
    }

    @Command(name = "pg:backups:delete", mixinStandardHelpOptions = true, versionProvider = CliVersion.class,
            description = "Delete a backup and its file: pg:backups:delete b001 -a shop --confirm shop.")
    static final class Delete extends AppCommand {
        @Parameters(index = "0", paramLabel = "BACKUP", description = "The backup (b001).")
        String backup;

        @Option(names = "--confirm", paramLabel = "APP", description = "The app, to confirm.")
        String confirm;

        Delete(Invocation inv) {
            super(inv);
        }

        @Override
        public Integer call() {
            String app = app();
            if (!app.equals(confirm)) {
                throw new CliException("deleting " + backup + " cannot be undone: confirm with --confirm " + app);
            }
            ApiClient api = inv.api();
            Progress.run(inv, "Deleting " + backup + " of " + app,
                    () -> api.convert(api.delete(Invocation.appPath(app, "backups", ApiClient.segment(backup))), BackupView.class),
                    b -> "done");
            return 0;
        }
    }

    /** Polls until {@code stillGoing} is false, within {@link #WAIT}. */
    static <T> T await(Supplier<T> read, java.util.function.Predicate<T> stillGoing, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        T now = read.get();
        while (stillGoing.test(now)) {
            if (System.nanoTime() > deadline) {
                throw new CliException(what + " is still running after " + WAIT.toHours() + " hours; see slipway pg:backups");
            }
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException("interrupted; " + what + " goes on on the platform", e);
            }
            now = read.get();
        }
        return now;
    }
}
