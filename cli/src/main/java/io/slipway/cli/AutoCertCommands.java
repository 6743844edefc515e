package io.slipway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.api.AutoCertView;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code certs:auto}, {@code certs:auto:enable}, {@code certs:auto:disable}, {@code certs:auto:refresh}: certificates by ACME for an app's custom domains. */
final class AutoCertCommands {
    private AutoCertCommands() {}

    static void register(CommandLine cli, Invocation inv) {
        cli.addSubcommand(new Status(inv));
        cli.addSubcommand(new Enable(inv));
        cli.addSubcommand(new Disable(inv));
        cli.addSubcommand(new Refresh(inv));
    }

    @Command(name = "certs:auto", mixinStandardHelpOptions = true, versionProvider = CliVersion.class,
            description = "Show where each custom domain's automatic certificate stands: ok, pending, or failing (last error, next try).")
    static final class Status extends AppCommand {
        @Option(names = "--json", description = "Print the API's JSON.")
        boolean json;

        Status(Invocation inv) {
            super(inv);
        }

        @Override
        public Integer call() {
            String app = app();
            JsonNode node = inv.api().get(Invocation.appPath(app, "certs", "auto"));
            if (json) {
                inv.printJson(node);
                return 0;
            }
            AutoCertView view = inv.api().convert(node, AutoCertView.class);
            Listing.header(inv.out(), app + " Automatic Certificates: " + (view.enabled() ? "enabled" : "disabled"));
            if (!view.enabled()) {
                inv.out().print("`slipway certs:auto:enable -a " + app + "` gets every custom domain a certificate by ACME\n");
                return 0;
            }
            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("Domain", "Status", "Expires", "Next try", "Last error"));
            for (AutoCertView.Domain d : view.domains()) {
                rows.add(java.util.Arrays.asList(d.hostname(), d.status(), d.expires() == null ? "" : d.expires().toString(),
                        d.nextTry() == null ? "now" : d.nextTry().toString(),
                        d.lastError() == null ? "" : d.lastError() + (d.failures() > 1 ? " (" + d.failures() + " failures in a row)" : "")));
            }
            Listing.columns(inv.out(), rows);
            return 0;
        }
    }

    @Command(name = "certs:auto:enable", mixinStandardHelpOptions = true, versionProvider = CliVersion.class,
            description = "Get and renew a certificate by ACME (Let's Encrypt unless the platform says otherwise) for every custom domain of an app.")
    static final class Enable extends AppCommand {
        Enable(Invocation inv) {
            super(inv);
        }

        @Override
        public Integer call() {
            String app = app();
            Progress.run(inv, "Enabling automatic certificates for " + app,
                    () -> inv.api().post(Invocation.appPath(app, "certs", "auto"), null),
                    done -> "done, ordering for " + done.path("domains").findValuesAsText("hostname")
                            + "; `slipway certs:auto -a " + app + "` shows how it goes");
            return 0;
        }
    }

    @Command(name = "certs:auto:disable", mixinStandardHelpOptions = true, versionProvider = CliVersion.class,
            description = "Stop automatic certificates for an app and remove them (its names fall back to an uploaded or the platform's certificate).")
    static final class Disable extends AppCommand {
        Disable(Invocation inv) {
            super(inv);
        }

        @Override
        public Integer call() {
            String app = app();
            Progress.run(inv, "Disabling automatic certificates for " + app,
                    () -> inv.api().delete(Invocation.appPath(app, "certs", "auto")), done -> "done");
            return 0;
        }
    }

    @Command(name = "certs:auto:refresh", mixinStandardHelpOptions = true, versionProvider = CliVersion.class,
            description = "Order again now for an app's failing domains, without waiting out their backoff (after fixing their DNS, say).")
    static final class Refresh extends AppCommand {
        Refresh(Invocation inv) {
            super(inv);
        }

        @Override
        public Integer call() {
            String app = app();
            Progress.run(inv, "Refreshing automatic certificates for " + app,
                    () -> inv.api().post(Invocation.appPath(app, "certs", "auto", "refresh"), null),
                    done -> "done; `slipway certs:auto -a " + app + "` shows how it goes");
            return 0;
        }
    }
}
