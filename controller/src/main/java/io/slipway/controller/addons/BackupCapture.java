package io.slipway.controller.addons;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One backup taken: {@code pg_dump -Fc} in the add-on's container, teed there into
 * {@code pg_restore -f /dev/null} (which reads every entry and data block, so a dump it cannot read
 * whole fails here) and into {@code sha256sum}, and streamed to a temporary file in the store. The
 * file takes its name once whole and synced, and its SHA-256 read back from disk must be the one of
 * what pg_restore read: the stored bytes are exactly the verified ones. Nothing is held in memory
 * but a buffer, and the platform hashes the dump once (the controller runs C1-compiled only, where
 * SHA-256 costs about a second per 130 MB).
 */
final class BackupCapture {
    /**
     * Verifying inside the add-on costs no second stream through the engine (the platform fed
     * pg_restore itself before, beside hashing the stream and then the file). {@code tee -p} keeps
     * the dump going when pg_restore stops early, so its failure is the one reported.
     */
    static final String DUMP_AND_VERIFY = """
            set -euo pipefail
            d=$(mktemp -d)
            trap 'rm -rf "$d"' EXIT
            mkfifo "$d/verify" "$d/sum"
            pg_restore -f /dev/null <"$d/verify" & verify=$!
            sha256sum <"$d/sum" >"$d/sha" & sum=$!
            pg_dump -Fc -d "$1" | tee -p "$d/verify" "$d/sum"
            wait "$verify" || exit 3
            wait "$sum"
            echo "slipway-backup: verified, sha256 $(cut -d' ' -f1 "$d/sha")" >&2
            """;
    /** The script's exit code when pg_restore could not read the dump whole. */
    static final int VERIFY_FAILED = 3;
    private static final Pattern VERIFIED = Pattern.compile("slipway-backup: verified, sha256 ([0-9a-f]{64})");

    /** Why a backup is not done: said to the user, in the app's log and on the backup. */
    static final class Failed extends Exception {
        Failed(String message) {
            super(message);
        }
    }

    /** A done backup's file: its size and SHA-256. */
    record Taken(long size, String sha256) {}

    private final ExecStreams streams;
    private final BackupFiles files;

    BackupCapture(ExecStreams streams, BackupFiles files) {
        this.streams = streams;
        this.files = files;
    }

    Taken take(Addon addon, Backup backup) throws Failed {
        Path partial;
        try {
            partial = files.partial(backup);
        } catch (IOException e) {
            throw new Failed("cannot write to the backup directory " + files.dir() + ": " + e.getMessage());
        }
        try {
            String verified = dumpAndVerify(addon, partial);
            Path file = files.complete(backup, partial);
            long size = Files.size(file);
            String onDisk = BackupFiles.sha256(file);
            if (!onDisk.equals(verified)) {
                Files.deleteIfExists(file);
                throw new Failed("the file written (" + size + " bytes, SHA-256 " + onDisk + ") is not the dump pg_restore "
                        + "read whole in the add-on (SHA-256 " + verified + "): it was cut or altered on its way, or the disk "
                        + "under " + files.dir() + " is suspect; take another");
            }
            return new Taken(size, onDisk);
        } catch (IOException e) {
            throw new Failed("writing " + partial + " failed: " + e.getMessage());
        } finally {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException ignored) {
                // a stray partial file is removed at the next start
            }
        }
    }

    /** Streams the dump into {@code partial}, synced; answers the SHA-256 of what pg_restore read whole in the add-on. */
    private String dumpAndVerify(Addon addon, Path partial) throws IOException, Failed {
        ExecStreams.Outcome dump;
        long size;
        try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
             OutputStream file = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 20)) {
            dump = streams.run(addon, List.of("bash", "-c", DUMP_AND_VERIFY, "slipway-backup", addon.database()), file);
            file.flush();
            channel.force(true);
            size = channel.size();
        }
        if (dump.exitCode() == VERIFY_FAILED) {
            throw new Failed("pg_restore could not read the dump whole (" + dump.describe() + ")");
        }
        if (!dump.ok()) {
            throw new Failed("pg_dump failed (" + dump.describe() + ")");
        }
        if (size == 0) {
            throw new Failed("pg_dump wrote nothing");
        }
        Matcher verified = VERIFIED.matcher(dump.said());
        if (!verified.find()) {
            throw new Failed("the add-on did not say the SHA-256 of the dump pg_restore read (" + dump.describe() + ")");
        }
        return verified.group(1);
    }
}
