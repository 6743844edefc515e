package io.slipway.controller.addons;

import io.slipway.controller.docker.Networks;

import io.slipway.api.AddonView;
import io.slipway.controller.app.App;
import io.slipway.controller.app.AppService;
import io.slipway.controller.config.ConfigService;
import io.slipway.controller.dyno.DockerDynoRuntime;
import io.slipway.controller.release.Release;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The effects of the add-on lifecycle: bringing a server up (image, volume, container on the
 * app's network, until it accepts connections) and attaching it; attach and detach as config
 * changes; removal. Level-triggered: after a controller restart, {@link #adoptAll} continues from
 * what it finds (a creation resumes and reuses the container it had made; a ready add-on's
 * container is adopted by its name and labels and only started if stopped, never recreated).
 */
final class AddonProvisioner {
    private static final Logger log = LoggerFactory.getLogger(AddonProvisioner.class);
    /** How long a new server may take to accept connections (initdb included) before the add-on fails. */
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration POLL = Duration.ofMillis(100);
    /** A wait longer than this is told in the add-on's progress, with its seconds. */
    private static final Duration QUIET = Duration.ofSeconds(2);

    private final AddonStore store;
    private final AppService apps;
    private final ConfigService config;
    private final AddonContainers containers;
    private final ServiceImages images;
    private final Networks networks;
    private final LongSupplier nanoTime;
    private final Map<java.util.UUID, Thread> creating = new ConcurrentHashMap<>();

    AddonProvisioner(AddonStore store, AppService apps, ConfigService config, AddonContainers containers,
                     ServiceImages images, Networks networks, LongSupplier nanoTime) {
        this.store = store;
        this.apps = apps;
        this.config = config;
        this.containers = containers;
        this.images = images;
        this.networks = networks;
        this.nanoTime = nanoTime;
    }

    void provisionInBackground(Addon addon) {
        creating.computeIfAbsent(addon.id(), id -> Thread.ofVirtual().name("addon-" + addon.name()).start(() -> {
            try {
                provision(addon);
            } finally {
                creating.remove(id);
            }
        }));
    }

    /** Image, network, volume and container, then ready, then attached to its own app: the add-on is ready. */
    private void provision(Addon addon) {
        Service service = addon.kind();
        Optional<App> owner = apps.find(addon.appId().toString());
        if (owner.isEmpty()) {
            return; // its app was destroyed meanwhile: appDestroyed removes it
        }
        String app = owner.get().name().value();
        try {
            store.progress(addon.id(), "preparing the " + service.name() + " image");
            String image = images.ensure(service, line -> store.progress(addon.id(), line.strip()));
            String network = networks.forApp(app);
            var existing = containers.find(addon);
            String id;
            if (existing.isPresent()) {
                id = existing.get().id();
                containers.start(id);
                log.info("app={} addon={} resuming with its container {}", app, addon.name(), id.substring(0, 12));
            } else {
                store.progress(addon.id(), "starting the " + service.label() + " server");
                id = containers.create(addon, app, image, network);
            }
            awaitReady(addon, id);
            boolean attached = store.attachmentsOf(addon.id()).stream().anyMatch(t -> t.appId().equals(addon.appId()));
            if (!attached) {
                attach(addon, owner.get(), addon.attachAs(), addon.createdBy());
            }
            store.state(addon.id(), Addon.State.READY, null);
            log.info("app={} addon={} ready", app, addon.name());
        } catch (RuntimeException e) {
            String why = e.getMessage() == null ? e.toString() : e.getMessage();
            log.warn("app={} addon={} failed: {}", app, addon.name(), why);
            store.state(addon.id(), Addon.State.FAILED, why);
        }
    }

    /** Polls the server from inside its container until it accepts connections. */
    private void awaitReady(Addon addon, String containerId) {
        Service service = addon.kind();
        long start = nanoTime.getAsLong();
        long deadline = start + READY_TIMEOUT.toNanos();
        while (true) {
            var observed = containers.find(addon).orElseThrow(() -> new IllegalStateException("its container disappeared"));
            if (!observed.running() && !"restarting".equals(observed.status()) && !"created".equals(observed.status())) {
                throw new IllegalStateException("the " + service.label() + " server stopped before accepting connections; "
                        + "its last output:\n" + String.join("\n", DockerDynoRuntime.lastLines(containers.docker(), containerId, 15)));
            }
            if (observed.running()) {
                try {
                    var probe = containers.exec(addon, service.readyCommand(), Duration.ofSeconds(5));
                    if (probe.exitCode() == 0 && service.readyOutput(probe.stdout())) {
                        return;
                    }
                } catch (RuntimeException racingAStart) {
                    // exec into a container that is (re)starting: look again
                }
            }
            long now = nanoTime.getAsLong();
            if (now > deadline) {
                throw new IllegalStateException("the " + service.label() + " server did not accept connections within "
                        + READY_TIMEOUT.toSeconds() + " s; its last output:\n"
                        + String.join("\n", DockerDynoRuntime.lastLines(containers.docker(), containerId, 15)));
            }
            if (now - start > QUIET.toNanos()) {
                store.progress(addon.id(), "waiting for " + service.label() + " to accept connections ("
                        + Duration.ofNanos(now - start).toSeconds() + " s)");
            }
            sleep(POLL);
        }
    }

    /**
     * Sets the add-on's URL on {@code target} as {@code name}, refusing (409) a var already set, and
     * records the attachment in the same transaction; another app's network is joined first, so
     * its dynos restarted with the URL reach the server.
     */
    Optional<Release> attach(Addon addon, App target, String name, String by) {
        String network = networks.forApp(target.name().value());
        boolean joined = !target.id().equals(addon.appId()) && containers.connect(addon, network);
        String url = addon.kind().url(addon, containers.containerName(addon));
        ConfigService.Change change;
        try {
            change = config.change(target, Map.of(Attachments.configVar(name), url), by, (c, before) -> {
                Attachments.checkFree(target.name().value(), name, before,
                        AddonService.attachedBy(store.attachmentsOn(c, target.id())));
                store.attach(c, addon.id(), target.id(), name);
            });
        } catch (RuntimeException refused) {
            if (joined) {
                containers.disconnect(addon, network); // the app gets no URL, so no way in either
            }
            throw refused;
        }
        change.release().ifPresent(r -> store.release(target.id(), name, r.name()));
        log.info("app={} addon={} attached as {}{}", target.name(), addon.name(), name,
                change.release().map(r -> " release=" + r.name()).orElse(""));
        return change.release();
    }

    /** Removes the attachment and its var from {@code app} (a release); leaves the app's network when nothing else holds it there. */
    Optional<Release> detach(Addon addon, App app, String name, String by) {
        Map<String, String> unset = new HashMap<>();
        unset.put(Attachments.configVar(name), null);
        ConfigService.Change change = config.change(app, unset, by, (c, before) -> store.detach(c, app.id(), name));
        boolean stillThere = store.attachmentsOf(addon.id()).stream().anyMatch(t -> t.appId().equals(app.id()));
        if (!app.id().equals(addon.appId()) && !stillThere) {
            containers.disconnect(addon, Networks.appNetwork(containers.platform(), app.name().value()));
        }
        log.info("app={} addon={} detached from {}{}", app.name(), addon.name(), name,
                change.release().map(r -> " release=" + r.name()).orElse(""));
        return change.release();
    }

    /** Detaches the add-on everywhere it is attached, then removes its container, its volume and its row. */
    List<AddonView.Attachment> destroy(Addon addon, String by) {
        List<AddonView.Attachment> removed = new ArrayList<>();
        for (var t : store.attachmentsOf(addon.id())) {
            apps.find(t.appId().toString()).ifPresent(app -> {
                Optional<Release> release = detach(addon, app, t.name(), by);
                removed.add(new AddonView.Attachment(t.app(), t.name(), Attachments.configVar(t.name()),
                        release.map(Release::name).orElse(null)));
            });
        }
        containers.remove(addon);
        store.delete(addon.id());
        return removed;
    }

    void appDestroyed(java.util.UUID appId, String app) {
        for (Addon addon : store.ownedBy(appId)) {
            Thread running = creating.get(addon.id());
            if (running != null) {
                running.interrupt();
            }
            destroy(addon, "platform (app " + app + " destroyed)");
            log.info("app={} addon={} destroyed with its app", app, addon.name());
        }
        networks.removeApp(app);
    }

    /** At start: add-ons of apps that are gone are removed, creations resume, ready servers are adopted. */
    void adoptAll() {
        for (Addon orphan : store.orphans()) {
            log.info("addon={} belonged to an app destroyed while the controller was away: removing it", orphan.name());
            destroy(orphan, "platform");
        }
        for (Addon addon : store.all()) {
            switch (addon.state()) {
                case CREATING -> provisionInBackground(addon);
                case READY -> adopt(addon);
                case FAILED, DESTROYING -> { }
            }
        }
    }

    private void adopt(Addon addon) {
        var observed = containers.find(addon);
        if (observed.isEmpty()) {
            // Removed by hand: its volume still holds the data, so a new container on it loses nothing.
            log.warn("addon={} has no container: recreating it on its volume", addon.name());
            Thread.ofVirtual().name("addon-" + addon.name()).start(() -> {
                try {
                    String app = apps.find(addon.appId().toString()).orElseThrow().name().value();
                    containers.create(addon, app, images.ensure(addon.kind(), line -> { }),
                            networks.forApp(app));
                } catch (RuntimeException e) {
                    log.warn("addon={} could not be recreated: {}", addon.name(), e.getMessage());
                }
            });
            return;
        }
        if (!observed.get().running() && !"restarting".equals(observed.get().status())) {
            containers.start(observed.get().id());
            log.info("addon={} adopted its stopped container {} and started it", addon.name(), observed.get().id().substring(0, 12));
        } else {
            log.info("addon={} adopted its container {} ({})", addon.name(), observed.get().id().substring(0, 12),
                    observed.get().status());
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
