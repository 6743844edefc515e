package io.slipway.controller.addons;

import io.slipway.api.AddonView;
import io.slipway.controller.http.ApiException;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes add-ons once {@link AddonService} has checked that it may. A ready PostgreSQL add-on is
 * backed up first, in the background as any capture: it is {@code destroying} (its progress names
 * the backup) until that backup is verified, and only then removed; a backup that fails puts it
 * back as it was, with why in the app's log. Level-triggered: a controller that stopped meanwhile
 * finishes the destroy at start if that backup is done, and otherwise leaves the add-on in place.
 */
final class AddonDestroyer {
    private static final Logger log = LoggerFactory.getLogger(AddonDestroyer.class);

    private final AddonStore store;
    private final AddonProvisioner provisioner;
    private final Function<Addon, AddonView> view;
    private BackupService backups;
    private BackupSchedules schedules;

    AddonDestroyer(AddonStore store, AddonProvisioner provisioner, Function<Addon, AddonView> view) {
        this.store = store;
        this.provisioner = provisioner;
        this.view = view;
    }

    void backups(BackupService backups, BackupSchedules schedules) {
        this.backups = backups;
        this.schedules = schedules;
    }

    /** Destroys the add-on now, or starts its last backup and answers it {@code destroying}. */
    AddonView destroy(Addon addon, String owner, boolean noBackup, String by) {
        boolean backUp = addon.kind().equals(Service.POSTGRES) && addon.state() == Addon.State.READY && !noBackup
                && backups != null;
        if (!backUp) {
            List<AddonView.Attachment> removed = remove(addon, by);
            log.info("app={} addon={} destroyed by {}", owner, addon.name(), by);
            return new AddonView(addon.name(), addon.service(), addon.version(), owner, "destroyed", null, removed, null,
                    addon.createdAt());
        }
        // The backup is numbered before the add-on turns destroying, so at a restart the add-on's newest
        // destroy backup is always the one its destroy waits for.
        Backup last = backups.begin(addon.appId(), addon, Backup.Trigger.DESTROY, by);
        String progress = "taking its last backup " + last.label() + "; " + addon.name()
                + " is destroyed once that backup is verified";
        if (!store.beginDestroy(addon.id(), progress)) {
            backups.discard(last);
            throw ApiException.conflict(addon.name() + " is already being destroyed; see slipway addons:info " + addon.name());
        }
        AddonView answer = view.apply(store.find(addon.id()).orElseThrow());
        log.info("app={} addon={} destroying by {}: {}", owner, addon.name(), by, progress);
        Thread.ofVirtual().name("destroy-" + addon.name()).start(() -> {
            try {
                settle(addon, owner, backups.takeNow(owner, addon, last), by);
            } catch (RuntimeException e) {
                store.state(addon.id(), Addon.State.READY, null);
                log.error("app={} addon={} destroy stopped, nothing was destroyed: {}", owner, addon.name(), e.getMessage(), e);
                backups.event(owner, "Destroy of " + addon.name() + " stopped (" + e.getMessage() + "); nothing was destroyed");
            }
        });
        return answer;
    }

    /** At start, after abandoned backups were failed: each destroying add-on is destroyed or back in place. */
    void resume(Function<Addon, String> ownerName) {
        for (Addon addon : store.all()) {
            if (addon.state() != Addon.State.DESTROYING) {
                continue;
            }
            String owner = ownerName.apply(addon);
            Backup last = backups == null ? null : backups.lastDestroyBackup(addon.id()).orElse(null);
            if (last == null) {
                store.state(addon.id(), Addon.State.READY, null);
                continue;
            }
            log.info("app={} addon={} was being destroyed when the controller stopped; its last backup {} is {}", owner,
                    addon.name(), last.label(), last.state().name().toLowerCase());
            settle(addon, owner, last, last.createdBy());
        }
    }

    /** Destroys the add-on when its last backup is done; otherwise it is ready again and the app's log says why. */
    private void settle(Addon addon, String owner, Backup last, String by) {
        if (last.state() != Backup.State.DONE) {
            store.state(addon.id(), Addon.State.READY, null);
            backups.event(owner, "Destroy of " + addon.name() + " stopped: its last backup " + last.label() + " failed ("
                    + last.failure() + "); nothing was destroyed. Fix that, or destroy without a backup: slipway addons:destroy "
                    + addon.name() + " --confirm " + owner + " --no-backup");
            return;
        }
        List<AddonView.Attachment> removed = remove(addon, by);
        backups.event(owner, addon.name() + " destroyed by " + by + removed.stream().map(t -> ", " + t.configVar()
                + " unset on " + t.app() + (t.release() == null ? "" : " (" + t.release() + ")")).reduce("", String::concat)
                + "; its last backup " + last.label() + " (" + Sizes.of(last.sizeBytes()) + ", verified) is kept: "
                + "slipway pg:backups:download " + last.label() + " -a " + owner);
    }

    private List<AddonView.Attachment> remove(Addon addon, String by) {
        if (schedules != null) {
            schedules.forget(addon.id());
        }
        return provisioner.destroy(addon, by);
    }
}
