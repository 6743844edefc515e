package io.slipway.controller.addons;

import io.slipway.controller.logs.LogSink;
import io.slipway.controller.schedule.Cron;
import io.slipway.controller.schedule.ScheduleService;
import java.time.ZoneId;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings back add-on servers that died. The engine restarts a crashed container itself
 * (unless-stopped) but not one killed with {@code docker kill}, which it takes for a person's stop.
 * Every few seconds, through the platform's clustered Quartz (so one controller looks), a ready
 * add-on whose container exited with a non-zero code (killed, crashed, out of memory) is started
 * again on its volume, and its app's log says so. One that exited cleanly ({@code docker stop}, an
 * operator's choice) is left stopped until the controller next starts and adopts it.
 */
final class AddonWatch {
    private static final Logger log = LoggerFactory.getLogger(AddonWatch.class);
    static final String GROUP = "addon-watch";
    private static final Cron EVERY_FIVE_SECONDS = new Cron("*/5 * * * * ?", "*/5 * * * * ?");

    private final AddonStore store;
    private final AddonContainers containers;
    private final ScheduleService scheduler;
    private final LogSink logs;
    private final Function<Addon, String> owner;
    private final AtomicBoolean looking = new AtomicBoolean();

    AddonWatch(AddonStore store, AddonContainers containers, ScheduleService scheduler, LogSink logs,
               Function<Addon, String> owner) {
        this.store = store;
        this.containers = containers;
        this.scheduler = scheduler;
        this.logs = logs;
        this.owner = owner;
        scheduler.timer(GROUP, (name, at) -> {
            if (looking.compareAndSet(false, true)) {
                Thread.ofVirtual().name("addon-watch").start(() -> {
                    try {
                        look();
                    } finally {
                        looking.set(false);
                    }
                });
            }
        });
    }

    /** At start, after the add-ons were adopted. */
    void start() {
        scheduler.plan(GROUP, "servers", EVERY_FIVE_SECONDS, ZoneId.of("UTC"));
    }

    void look() {
        try {
            for (Addon addon : store.all()) {
                if (addon.state() != Addon.State.READY) {
                    continue;
                }
                containers.find(addon).filter(AddonWatch::died).ifPresent(dead -> {
                    containers.start(dead.id());
                    String text = addon.name() + " had stopped (its server exited with code " + dead.exitCode()
                            + "); started it again on its volume";
                    log.warn("app={} addon={} {}", owner.apply(addon), addon.name(), text);
                    logs.event(owner.apply(addon), "addons", text);
                });
            }
        } catch (RuntimeException e) {
            // the next look, seconds from now, tries again
            log.warn("add-on watch: {}", e.getMessage());
        }
    }

    /** Exited with a failure: killed, crashed or out of memory; a clean stop (exit 0) is someone's choice. */
    static boolean died(AddonContainers.Observed o) {
        return !o.running() && "exited".equals(o.status()) && o.exitCode() != null && o.exitCode() != 0;
    }
}
