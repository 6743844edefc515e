package io.slipway.cli;

import io.slipway.api.Health;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** {@code slipway version}: this CLI's version, and the platform's when it answers {@code /healthz}. */
@Command(name = "version", mixinStandardHelpOptions = true, versionProvider = CliVersion.class,
        description = "Show the CLI's version and, when it is reachable, the platform's.")
final class VersionCommand implements Callable<Integer> {
    private final Invocation inv;

    VersionCommand(Invocation inv) {
        this.inv = inv;
    }

    @Override
    public Integer call() {
        inv.out().print("slipway-cli/" + CliVersion.VERSION + "\n");
        inv.out().flush();
        inv.out().print(platform() + "\n");
        return 0;
    }

    /** A platform that is down is an answer here, not an error: {@code version} is how people find out. */
    private String platform() {
        String url;
        try {
            url = ApiTarget.url(inv.ctx());
        } catch (CliException e) {
            return "platform: unknown (" + e.getMessage() + ")";
        }
        try (ApiClient api = ApiClient.anonymous(url)) {
            ApiClient.Response response = api.exchange("GET", "/healthz", null);
            Health health = null;
            try {
                health = api.convert(api.parse(response, "GET", "/healthz"), Health.class);
            } catch (CliException e) {
                // Not a health document: report the status alone.
            }
            if (health == null || health.version() == null) {
                return "platform: at " + url + ", answered HTTP " + response.status() + " to /healthz";
            }
            String state = response.status() == 200 ? "" : " (" + describe(health) + ")";
            return "platform/" + health.version() + " at " + url + state;
        } catch (CliException e) {
            return "platform: not reachable at " + url;
        }
    }

    private static String describe(Health health) {
        if (health.database() != null && !"ok".equals(health.database())) {
            return "database " + health.database();
        }
        return "status " + health.status();
    }
}
