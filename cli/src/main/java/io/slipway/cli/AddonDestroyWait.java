package io.slipway.cli;

import io.slipway.api.AddonView;
import io.slipway.api.BackupView;
import io.slipway.api.Json;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;

/**
 * The wait of {@code addons:destroy} once the platform answered {@code destroying} (a PostgreSQL
 * add-on whose last backup is being taken): polls the add-on until it is gone (404), then says
 * where that backup is; or until it is back, because the backup failed, then says why and fails.
 */
final class AddonDestroyWait {
    /** pg_dump of a large database takes a while; the platform goes on if the wait gives up. */
    static final Duration WAIT = PgBackupCommands.WAIT;

    private AddonDestroyWait() {}

    /** The destroyed add-on, its message naming its last backup; a {@link CliException} when nothing was destroyed. */
    static AddonView await(Invocation inv, AddonView started) {
        ApiClient api = inv.api();
        String path = "/addons/" + ApiClient.segment(started.name());
        long start = System.nanoTime();
        String shown = null;
        while (true) {
            ApiClient.Response r = api.exchange("GET", path, null);
            if (r.status() == 404) {
                break;
            }
            AddonView now = r.status() == 200 ? read(r.body()) : api.convert(api.get(path), AddonView.class);
            if (!now.state().equals("destroying")) {
                throw new CliException(failed(api, started));
            }
            long waited = (System.nanoTime() - start) / 1_000_000;
            if (waited > WAIT.toMillis()) {
                throw new CliException(started.name() + " is still being destroyed after " + WAIT.toHours() + " hours ("
                        + ApiClient.oneLine(now.message()) + "); see slipway addons:info " + started.name());
            }
            if (waited >= AddonCommands.QUIET_MS && now.message() != null && !now.message().equals(shown)) {
                shown = now.message();
                inv.err().print("\n  " + ApiClient.oneLine(shown) + "\n");
                inv.err().flush();
            }
            sleep(started);
        }
        String kept = lastBackup(api, started).filter(b -> b.status().equals("done"))
                .map(b -> "last backup " + b.id() + " (" + AddonCommands.size(b.sizeBytes()) + ", verified) kept: "
                        + "slipway pg:backups:download " + b.id() + " -a " + started.app())
                .orElse(null);
        return new AddonView(started.name(), started.service(), started.version(), started.app(), "destroyed", kept,
                started.attachments().stream().map(t -> new AddonView.Attachment(t.app(), t.name(), t.configVar(), null))
                        .toList(), null, started.createdAt());
    }

    /** What went wrong, from the add-on's last backup: it failed, so the add-on is still there. */
    private static String failed(ApiClient api, AddonView started) {
        String why = lastBackup(api, started).map(b -> "the last backup of " + started.name() + " (" + b.id() + ") "
                + b.status() + (b.failure() == null ? "" : ": " + ApiClient.oneLine(b.failure())))
                .orElse("the last backup of " + started.name() + " was not taken");
        return why + "; nothing was destroyed. Fix that, or destroy without a backup: slipway addons:destroy "
                + started.name() + " --confirm " + started.app() + " --no-backup";
    }

    private static Optional<BackupView> lastBackup(ApiClient api, AddonView started) {
        BackupView[] all = api.convert(api.get(Invocation.appPath(started.app(), "backups")), BackupView[].class);
        return Arrays.stream(all).filter(b -> b.addon().equals(started.name()) && b.trigger().equals("destroy"))
                .max(Comparator.comparingInt(b -> Integer.parseInt(b.id().substring(1))));
    }

    private static AddonView read(byte[] body) {
        try {
            return Json.mapper().readValue(body, AddonView.class);
        } catch (IOException e) {
            throw new CliException("the platform answered with an unexpected AddonView: " + ApiClient.oneLine(e.getMessage()), e);
        }
    }

    private static void sleep(AddonView started) {
        try {
            Thread.sleep(PgBackupCommands.POLL_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted; the platform goes on destroying " + started.name()
                    + " once its last backup is verified; see slipway addons:info " + started.name(), e);
        }
    }
}
