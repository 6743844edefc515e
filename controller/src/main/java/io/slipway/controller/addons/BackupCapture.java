package io.slipway.controller.addons;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

/**
 * One backup taken: {@code pg_dump -Fc} in the add-on's container streamed to a temporary file in
 * the store, and at the same time into {@code pg_restore -f /dev/null} (which reads every entry and
 * data block, so a dump it cannot read whole fails here), hashed as it goes. The file takes its
 * name once whole and synced, and its SHA-256 read back from disk must be what was verified.
 * Nothing is held in memory but a buffer.
 */
final class BackupCapture {
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
            Taken taken = dumpAndVerify(addon, partial);
            Path file = files.complete(backup, partial);
            String onDisk = BackupFiles.sha256(file);
            if (!onDisk.equals(taken.sha256())) {
                Files.deleteIfExists(file);
                throw new Failed("the file written differs from the dump that was verified (SHA-256 " + onDisk
                        + " on disk, " + taken.sha256() + " streamed): the disk under " + files.dir() + " is suspect");
            }
            return taken;
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

    private Taken dumpAndVerify(Addon addon, Path partial) throws IOException, Failed {
        MessageDigest digest = BackupFiles.newDigest();
        long[] size = {0};
        ExecStreams.Outcome dump;
        ExecStreams.Outcome check;
        try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
             OutputStream file = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 20);
             ExecStreams.Fed verify = streams.feed(addon, List.of("pg_restore", "-f", "/dev/null"))) {
            OutputStream tee = new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    file.write(b, off, len);
                    digest.update(b, off, len);
                    size[0] += len;
                    verify.stdin().write(b, off, len);
                }
            };
            try {
                dump = streams.run(addon, List.of("pg_dump", "-Fc", "-d", addon.database()), tee);
            } catch (IOException e) {
                throw new Failed("the dump could not be verified as it streamed (" + e.getMessage() + "); pg_restore said: "
                        + verify.said().strip());
            }
            file.flush();
            channel.force(true);
            check = verify.finish();
        }
        if (!dump.ok()) {
            throw new Failed("pg_dump failed (" + dump.describe() + ")");
        }
        if (!check.ok()) {
            throw new Failed("pg_restore could not read the dump whole (" + check.describe() + ")");
        }
        if (size[0] == 0) {
            throw new Failed("pg_dump wrote nothing");
        }
        return new Taken(size[0], HexFormat.of().formatHex(digest.digest()));
    }
}
