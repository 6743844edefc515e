package io.slipway.controller.addons;

import io.slipway.api.AddonView;
import io.slipway.api.CreateAddon;
import io.slipway.controller.app.App;
import io.slipway.controller.app.AppService;
import io.slipway.controller.config.ConfigService;
import io.slipway.controller.db.UniqueViolationException;
import io.slipway.controller.http.ApiException;
import io.slipway.controller.release.Release;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Add-ons as Heroku and Dokku's postgres plugin have them: created for an app (a server container
 * with a volume, generated credentials), attached to apps as config vars (which cut releases
 * through the config service, as {@code config:set} does), detached, and destroyed with their
 * data. Creating runs in the background ({@link AddonProvisioner}); its progress is the add-on's.
 */
public final class AddonService {
    private static final Logger log = LoggerFactory.getLogger(AddonService.class);

    private final AddonStore store;
    private final AppService apps;
    private final ConfigService config;
    private final AddonContainers containers;
    private final AddonProvisioner provisioner;
    private final AddonDestroyer destroyer;
    private final SecureRandom random = new SecureRandom();
    private BackupService backups;
    private BackupSchedules backupSchedules;
    private AddonWatch watch;

    AddonService(AddonStore store, AppService apps, ConfigService config, AddonContainers containers,
                 AddonProvisioner provisioner) {
        this.store = store;
        this.apps = apps;
        this.config = config;
        this.containers = containers;
        this.provisioner = provisioner;
        this.destroyer = new AddonDestroyer(store, provisioner, a -> view(a, false));
    }

    /** Backups come in after construction: they resolve add-ons through the same store. */
    void backups(BackupService backups, BackupSchedules schedules, AddonWatch watch) {
        this.watch = watch;
        this.backups = backups;
        this.backupSchedules = schedules;
        destroyer.backups(backups, schedules);
    }

    /** Starts creating an add-on of {@code app}; the answer says its name, and {@code creating}. */
    public AddonView create(App app, CreateAddon request, String by) {
        if (request == null) {
            throw ApiException.invalid("say which service: " + Service.catalogue() + " (e.g. {\"service\": \"postgres\"})");
        }
        Service service = Service.named(request.service());
        String version = service.version(request.version());
        String as = request.as() == null ? null : Attachments.validate(request.as());
        Map<String, String> vars = config.get(app);
        Addon addon;
        try {
            addon = store.db().inTransaction(c -> {
                int number = store.nextNumber(c, app.id(), service.name());
                Map<String, String> attachedBy = attachedBy(store.attachmentsOn(c, app.id()));
                String name = as != null ? as : Attachments.defaultName(service, number, attachedBy.keySet());
                Attachments.checkFree(app.name().value(), name, vars, attachedBy);
                Addon a = new Addon(UUID.randomUUID(), service.name() + "-" + app.name() + "-" + number, app.id(),
                        service.name(), version, number, Addon.State.CREATING, null, "waiting to start", name,
                        "u" + secret(8), secret(16), app.name().value().replace('-', '_'), by, Instant.now());
                store.insert(c, a);
                return a;
            });
        } catch (UniqueViolationException e) {
            throw ApiException.conflict("another " + service.name() + " add-on of " + app.name()
                    + " was being created at the same moment; try again");
        }
        log.info("app={} addon={} creating {} {} by {}", app.name(), addon.name(), service.name(), version, by);
        provisioner.provisionInBackground(addon);
        return view(addon, false);
    }

    /** Attaches a ready add-on to {@code target} as {@code as} (the service's default when null). */
    public AddonView attach(String name, App target, String as, String by) {
        Addon addon = get(name);
        if (addon.state() != Addon.State.READY) {
            throw ApiException.conflict(addon.name() + " is " + switch (addon.state()) {
                case CREATING -> "still being created; attach it once 'slipway addons:info " + addon.name() + "' says available";
                case DESTROYING -> "being destroyed (" + addon.progress() + ")";
                default -> "failed (" + addon.failure() + "); destroy it and create another";
            });
        }
        String attachment = as != null ? Attachments.validate(as)
                : Attachments.defaultName(addon.kind(), addon.number(), attachedBy(store.attachmentsOn(target.id())).keySet());
        provisioner.attach(addon, target, attachment, by);
        return view(get(name), false);
    }

    /** Detaches whatever is attached to {@code app} as {@code name}: its var goes, with a release. */
    public AddonView.Attachment detach(App app, String name, String by) {
        String attachment = name.endsWith("_URL") ? name.substring(0, name.length() - 4) : name;
        AddonStore.Attachment t = store.attachmentsOn(app.id()).stream().filter(a -> a.name().equals(attachment))
                .findFirst().orElseThrow(() -> ApiException.notFound("nothing is attached to " + app.name() + " as '" + name
                        + "'; attached there: " + describe(store.attachmentsOn(app.id()))));
        Addon addon = get(t.addon());
        Optional<Release> release = provisioner.detach(addon, app, attachment, by);
        return new AddonView.Attachment(app.name().value(), attachment, Attachments.configVar(attachment),
                release.map(Release::name).orElse(null));
    }

    /**
     * Destroys an add-on and its data, once {@code confirm} names its app and it is attached to no
     * other app; its vars on its own app go, with a release. A PostgreSQL add-on's data is backed up
     * first (kept and listed with the app's backups) unless {@code noBackup}, in the background: the
     * answer is then {@code destroying} and the add-on goes once that backup is verified; when it
     * fails, nothing is destroyed ({@link AddonDestroyer}).
     */
    public AddonView destroy(String name, String confirm, String by) {
        return destroy(name, confirm, false, by);
    }

    public AddonView destroy(String name, String confirm, boolean noBackup, String by) {
        Addon addon = get(name);
        String owner = ownerName(addon);
        if (confirm == null || !confirm.equals(owner)) {
            throw new ApiException(422, "confirmation_required", "destroying " + addon.name() + " deletes its data for good: "
                    + (confirm == null ? "" : "'" + confirm + "' is not its app; ") + "confirm with --confirm " + owner);
        }
        if (addon.state() == Addon.State.CREATING) {
            throw ApiException.conflict(addon.name() + " is still being created; destroy it once it is available or failed");
        }
        if (addon.state() == Addon.State.DESTROYING) {
            throw ApiException.conflict(addon.name() + " is already being destroyed (" + addon.progress()
                    + "); see slipway addons:info " + addon.name());
        }
        List<AddonStore.Attachment> elsewhere = store.attachmentsOf(addon.id()).stream()
                .filter(t -> !t.appId().equals(addon.appId())).toList();
        if (!elsewhere.isEmpty()) {
            throw ApiException.conflict(addon.name() + " is attached to other apps: " + elsewhere.stream()
                    .map(t -> t.app() + " as " + t.name()).collect(Collectors.joining(", ")) + "; detach it first: "
                    + elsewhere.stream().map(t -> "slipway addons:detach " + t.name() + " -a " + t.app())
                    .collect(Collectors.joining(", ")));
        }
        return destroyer.destroy(addon, owner, noBackup, by);
    }

    public List<AddonView> list(App app) {
        return store.ofApp(app.id()).stream().map(a -> view(a, true)).toList();
    }

    public AddonView info(String name) {
        return view(get(name), true);
    }

    /** After a controller start: forget add-ons of destroyed apps, resume creations, adopt the servers. */
    public void start() {
        if (backups != null) {
            backups.start();
            backupSchedules.start();
        }
        destroyer.resume(this::ownerName);
        provisioner.adoptAll();
        if (watch != null) {
            watch.start();
        }
    }

    /** The app is gone: its add-ons go too (detached from other apps first), and others leave its network. */
    public void appDestroyed(App app) {
        provisioner.appDestroyed(app.id(), app.name().value());
        if (backups != null) {
            backups.appDestroyed(app);
        }
    }

    Addon get(String name) {
        return store.find(name).orElseThrow(() -> ApiException.notFound("add-on '" + name
                + "' does not exist; 'slipway addons -a APP' lists an app's add-ons"));
    }

    String ownerName(Addon addon) {
        return apps.find(addon.appId().toString()).map(a -> a.name().value()).orElse("(destroyed app)");
    }

    AddonView view(Addon a, boolean withSize) {
        List<AddonView.Attachment> attachments = store.attachmentsOf(a.id()).stream()
                .map(t -> new AddonView.Attachment(t.app(), t.name(), Attachments.configVar(t.name()), t.release())).toList();
        String state;
        String message;
        Long size = null;
        switch (a.state()) {
            case CREATING -> {
                state = "creating";
                message = a.progress();
            }
            case FAILED -> {
                state = "failed";
                message = a.failure();
            }
            case DESTROYING -> {
                state = "destroying";
                message = a.progress();
            }
            default -> {
                Optional<AddonContainers.Observed> observed;
                try {
                    observed = containers.find(a);
                } catch (RuntimeException engineAway) {
                    // The engine stopped or restarting: the add-on is down with it, and the listing still answers.
                    state = "down";
                    message = "the Docker engine at " + containers.docker().host() + " does not answer ("
                            + engineAway.getMessage() + "); its server comes back when the engine starts again";
                    break;
                }
                boolean up = observed.map(AddonContainers.Observed::running).orElse(false);
                state = up ? "available" : "down";
                message = up ? null : observed.map(o -> "its container is " + o.status()).orElse("its container is missing");
                if (up && withSize) {
                    size = containers.sizeOnDisk(a);
                }
            }
        }
        return new AddonView(a.name(), a.service(), a.version(), ownerName(a), state, message, attachments, size, a.createdAt());
    }

    static Map<String, String> attachedBy(List<AddonStore.Attachment> attachments) {
        Map<String, String> byName = new HashMap<>();
        attachments.forEach(t -> byName.put(t.name(), t.addon()));
        return byName;
    }

    private static String describe(List<AddonStore.Attachment> attachments) {
        return attachments.isEmpty() ? "none" : attachments.stream().map(t -> t.name() + " (" + t.addon() + ")")
                .collect(Collectors.joining(", "));
    }

    /** {@code bytes} random bytes as hex: 16 bytes make a 128-bit password. */
    private String secret(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
