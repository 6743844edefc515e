package io.slipway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.api.AddonView;
import io.slipway.api.AttachAddon;
import io.slipway.api.CreateAddon;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** The {@code addons} topic: backing services (PostgreSQL, Redis) attached to apps by URL in their config (factor IV). */
final class AddonCommands {
    /** How long addons:create waits for a new add-on (a first one builds its service's image: minutes). */
    static final Duration CREATE_WAIT = Duration.ofMinutes(15);
    static final long POLL_MS = 100;
    /** A wait longer than this shows what the platform is doing. */
    static final long QUIET_MS = 2000;

    private AddonCommands() {}

    @Command(name = "addons", mixinStandardHelpOptions = true, versionProvider = CliVersion.class,
            description = "List an app's add-ons: service and version, state, where each is attached, size on disk.")
    static final class ListAddons extends AppCommand {
        @Option(names = "--json", description = "Print the API's JSON.")
        boolean json;

        ListAddons(Invocation inv) {
            super(inv);
        }

        @Override
        public Integer call() {
            String app = app();
            return inv.list(Invocation.appPath(app, "addons"), json, AddonView[].class, "No add-ons on " + app,
                    app + " Add-ons", List.of("Add-on", "Service", "State", "Attached as", "Size"),
                    a -> List.of(a.name(), a.service() + " " + a.version(), a.state(), attachedAs(a), size(a.sizeBytes())));
        }
    }

    @Command(name = "addons:create", mixinStandardHelpOptions = true, versionProvider = CliVersion.class,
            description = {"Create an add-on for an app and attach it: addons:create postgres -a shop sets DATABASE_URL "
                    + "(a further one sets POSTGRES_N_URL), addons:create redis sets REDIS_URL. The config change "
                    + "cuts a release and restarts the dynos.",
                    "The first add-on of a service on this host waits while its image is built (minutes)."})
    static final class Create extends AppCommand {
        @Parameters(index = "0", paramLabel = "SERVICE", description = "postgres or redis.")
        String service;

        @Option(names = "--version", paramLabel = "VERSION", description = "The service's version (default: the newest).")
        String version;

        @Option(names = "--as", paramLabel = "NAME", description = "The attachment name: --as ANALYTICS_DATABASE sets "
                + "ANALYTICS_DATABASE_URL.")
        String as;

        Create(Invocation inv) {
            super(inv);
        }

        @Override
        public Integer call() {
            String app = app();
            ApiClient api = inv.api();
            AddonView created = api.convert(api.post(Invocation.appPath(app, "addons"), new CreateAddon(service, version, as)),
                    AddonView.class);
            Progress.run(inv, "Creating " + created.name() + " on " + app,
                    () -> awaitCreated(inv, created), a -> "done, " + attachedHere(a, app));
            return 0;
        }
    }

    /** Polls the add-on until it is no longer being created; its progress is shown on stderr after a quiet while. */
    static AddonView awaitCreated(Invocation inv, AddonView created) {
        ApiClient api = inv.api();
        long start = System.nanoTime();
        String shown = null;
        AddonView now = created;
        while (now.state().equals("creating")) {
            long waited = (System.nanoTime() - start) / 1_000_000;
            if (waited > CREATE_WAIT.toMillis()) {
                throw new CliException(created.name() + " is still being created after " + CREATE_WAIT.toMinutes()
                        + " minutes (" + now.message() + "); see slipway addons:info " + created.name());
            }
            if (waited >= QUIET_MS && now.message() != null && !now.message().equals(shown)) {
                if (shown == null) {
                    inv.out().print("\n");
                    inv.out().flush();
                }
                shown = now.message();
                inv.err().print("  " + ApiClient.oneLine(shown) + "\n");
                inv.err().flush();
            }
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException("interrupted; " + created.name() + " is still being created", e);
            }
            now = api.convert(api.get("/addons/" + ApiClient.segment(created.name())), AddonView.class);
        }
        if (!now.state().equals("available")) {
            throw new CliException(created.name() + " " + now.state() + ": " + ApiClient.oneLine(now.message())
                    + "; remove it with slipway addons:destroy " + created.name() + " --confirm " + now.app());
        }
        return now;
    }

    /** {@code DATABASE_URL set, v8}: what the add-on set on {@code app}, and the release that cut. */
    static String attachedHere(AddonView addon, String app) {
        return addon.attachments().stream().filter(t -> t.app().equals(app))
                .map(t -> t.configVar() + " set" + (t.release() == null ? " (the app's first deploy gets it)" : ", " + t.release()))
                .collect(Collectors.joining("; "));
    }

    @Command(name = "addons:info", mixinStandardHelpOptions = true, versionProvider = CliVersion.class,
            description = "Show one add-on: its app, service and version, state, attachments, size on disk.")
    static final class Info implements Callable<Integer> {
        private final Invocation inv;

        @Parameters(index = "0", paramLabel = "ADDON", description = "The add-on (postgres-shop-1).")
        String name;

        @Option(names = "--json", description = "Print the API's JSON.")
        boolean json;

        Info(Invocation inv) {
            this.inv = inv;
        }

        @Override
        public Integer call() {
            ApiClient api = inv.api();
            JsonNode node = api.get("/addons/" + ApiClient.segment(name));
            if (json) {
                inv.printJson(node);
                return 0;
            }
            AddonView a = api.convert(node, AddonView.class);
            Listing.header(inv.out(), a.name());
            Map<String, String> rows = new LinkedHashMap<>();
            rows.put("App", a.app());
            rows.put("Service", a.service() + " " + a.version());
            rows.put("State", a.state() + (a.message() == null ? "" : " (" + ApiClient.oneLine(a.message()) + ")"));
            rows.put("Attached as", attachedAs(a));
            rows.put("Size", size(a.sizeBytes()));
            rows.put("Created", Times.at(a.createdAt()));
            Listing.aligned(inv.out(), rows);
            return 0;
        }
    }

    @Command(name = "addons:attach", mixinStandardHelpOptions = true, versionProvider = CliVersion.class,
            description = {"Attach an existing add-on to another app: addons:attach postgres-shop-1 -a shop-worker "
                    + "--as ANALYTICS_DATABASE sets ANALYTICS_DATABASE_URL there (a release) and lets its dynos reach it."})
    static final class Attach extends AppCommand {
        @Parameters(index = "0", paramLabel = "ADDON", description = "The add-on (postgres-shop-1).")
        String name;

        @Option(names = "--as", paramLabel = "NAME", description = "The attachment name (default: DATABASE, or POSTGRES_N when taken).")
        String as;

        Attach(Invocation inv) {
            super(inv);
        }

        @Override
        public Integer call() {
            String app = app();
            ApiClient api = inv.api();
            Progress.run(inv, "Attaching " + name + (as == null ? "" : " as " + as) + " to " + app,
                    () -> api.convert(api.post("/addons/" + ApiClient.segment(name) + "/attachments", new AttachAddon(app, as)),
                            AddonView.class),
                    a -> "done, " + attachedHere(a, app));
            return 0;
        }
    }

    @Command(name = "addons:detach", mixinStandardHelpOptions = true, versionProvider = CliVersion.class,
            description = "Detach an add-on from an app by its attachment name: its _URL var goes (a release); the add-on stays.")
    static final class Detach extends AppCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "The attachment (ANALYTICS_DATABASE).")
        String name;

        Detach(Invocation inv) {
            super(inv);
        }

        @Override
        public Integer call() {
            String app = app();
            ApiClient api = inv.api();
            Progress.run(inv, "Detaching " + name + " from " + app,
                    () -> api.convert(api.delete(Invocation.appPath(app, "addon-attachments", ApiClient.segment(name))),
                            AddonView.Attachment.class),
                    t -> "done, " + t.configVar() + " unset" + (t.release() == null ? "" : ", " + t.release()));
            return 0;
        }
    }

    @Command(name = "addons:destroy", mixinStandardHelpOptions = true, versionProvider = CliVersion.class,
            description = {"Destroy an add-on and its data: addons:destroy postgres-shop-1 --confirm shop. "
                    + "Refused while it is attached to other apps (detach it there first). A PostgreSQL add-on is backed "
                    + "up first (listed by pg:backups) unless --no-backup, and destroyed once that backup is verified; "
                    + "if it fails, nothing is destroyed and this exits non-zero."})
    static final class Destroy implements Callable<Integer> {
        private final Invocation inv;

        @Parameters(index = "0", paramLabel = "ADDON", description = "The add-on (postgres-shop-1).")
        String name;

        @Option(names = "--confirm", paramLabel = "APP", description = "The add-on's app, to confirm.")
        String confirm;

        @Option(names = "--no-backup", description = "Do not take a last backup of a PostgreSQL add-on first.")
        boolean noBackup;

        Destroy(Invocation inv) {
            this.inv = inv;
        }

        @Override
        public Integer call() {
            ApiClient api = inv.api();
            String path = "/addons/" + ApiClient.segment(name) + (confirm == null ? "" : "?confirm=" + ApiClient.segment(confirm))
                    + (noBackup ? (confirm == null ? "?" : "&") + "no_backup=true" : "");
            Progress.run(inv, "Destroying " + name, () -> {
                        AddonView answer = api.convert(api.delete(path), AddonView.class);
                        return answer.state().equals("destroying") ? AddonDestroyWait.await(inv, answer) : answer;
                    },
                    a -> "done" + a.attachments().stream().map(t -> ", " + t.configVar() + " unset on " + t.app()
                            + (t.release() == null ? "" : " (" + t.release() + ")")).collect(Collectors.joining())
                            + (a.message() == null ? "" : "; " + a.message()));
            return 0;
        }
    }

    /** {@code DATABASE (shop), ANALYTICS_DATABASE (shop-worker)}. */
    static String attachedAs(AddonView a) {
        return a.attachments().isEmpty() ? "-" : a.attachments().stream().map(t -> t.name() + " (" + t.app() + ")")
                .collect(Collectors.joining(", "));
    }

    /** Bytes as people read them: {@code 7.4 MB}; {@code -} when unknown. */
    static String size(Long bytes) {
        if (bytes == null) {
            return "-";
        }
        if (bytes < 1000) {
            return bytes + " B";
        }
        String[] units = {"kB", "MB", "GB", "TB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1000 && unit < units.length - 1) {
            value /= 1000;
            unit++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
