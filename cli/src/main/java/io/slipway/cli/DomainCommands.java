package io.slipway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.api.AppInfo;
import io.slipway.api.CreateDomain;
import io.slipway.api.DomainView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.net.URI;

/** The {@code domains} topic: host names an app answers to besides {@code <app>.<platform domain>}. */
final class DomainCommands {
    private DomainCommands() {}

    @Command(name = "domains", mixinStandardHelpOptions = true, versionProvider = CliVersion.class,
            description = "List the host names an app answers to: its default one and its custom domains.")
    static final class ListDomains extends AppCommand {
        @Option(names = "--json", description = "Print the API's JSON (the custom domains).")
        boolean json;

        ListDomains(Invocation inv) {
            super(inv);
        }

        @Override
        public Integer call() {
            String app = app();
            ApiClient api = inv.api();
            JsonNode node = api.get(Invocation.appPath(app, "domains"));
            if (json) {
                inv.printJson(node);
                return 0;
            }
            DomainView[] domains = api.convert(node, DomainView[].class);
            AppInfo info = api.convert(api.get(Invocation.appPath(app)), AppInfo.class);
            Listing.header(inv.out(), app + " Default Domain");
            inv.out().print(host(info.webUrl()) + "\n\n");
            Listing.header(inv.out(), app + " Custom Domains");
            if (domains.length == 0) {
                inv.out().print("none: `slipway domains:add HOSTNAME` adds one\n");
            }
            for (DomainView domain : domains) {
                inv.out().print(domain.hostname() + "\n");
            }
            return 0;
        }

        /** {@code http://shop.localhost:8080/} → {@code shop.localhost}. */
        private static String host(String webUrl) {
            try {
                String host = webUrl == null ? null : URI.create(webUrl).getHost();
                return host != null ? host : BuildCommands.text(webUrl);
            } catch (IllegalArgumentException e) {
                return webUrl;
            }
        }
    }

    @Command(name = "domains:add", mixinStandardHelpOptions = true, versionProvider = CliVersion.class,
            description = "Route a host name to an app (point its DNS at the platform's router).")
    static final class Add extends AppCommand {
        @Parameters(index = "0", paramLabel = "HOSTNAME", description = "A host name, as www.shop.example.")
        String hostname;

        Add(Invocation inv) {
            super(inv);
        }

        @Override
        public Integer call() {
            String app = app();
            ApiClient api = inv.api();
            Progress.run(inv, "Adding " + ConfigAssignments.printable(hostname) + " to " + app,
                    () -> api.post(Invocation.appPath(app, "domains"), new CreateDomain(hostname)), added -> "done");
            return 0;
        }
    }

    @Command(name = "domains:remove", mixinStandardHelpOptions = true, versionProvider = CliVersion.class,
            description = "Stop routing a custom host name to an app.")
    static final class Remove extends AppCommand {
        @Parameters(index = "0", paramLabel = "HOSTNAME", description = "The custom domain to remove.")
        String hostname;

        Remove(Invocation inv) {
            super(inv);
        }

        @Override
        public Integer call() {
            String app = app();
            ApiClient api = inv.api();
            Progress.run(inv, "Removing " + ConfigAssignments.printable(hostname) + " from " + app,
                    () -> api.delete(Invocation.appPath(app, "domains", ApiClient.segment(hostname))),
                    removed -> "done");
            return 0;
        }
    }
}
