package io.slipway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.api.AddCertificate;
import io.slipway.api.CertificateView;
import io.slipway.api.HttpsSetting;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The {@code certs} topic: the HTTPS certificate an app's names are served with, and its HTTP→HTTPS redirect. */
final class CertCommands {
    private CertCommands() {}

    static void register(CommandLine cli, Invocation inv) {
        cli.addSubcommand("certs", new ListCerts(inv));
        cli.addSubcommand("certs:info", new ListCerts(inv));
        cli.addSubcommand(new Add(inv));
        cli.addSubcommand(new Remove(inv));
        cli.addSubcommand(new Redirect(inv));
        AutoCertCommands.register(cli, inv);
    }

    @Command(mixinStandardHelpOptions = true, versionProvider = CliVersion.class,
            description = "Show an app's HTTPS certificates: names, issuer, expiry, uploaded or automatic.")
    static final class ListCerts extends AppCommand {
        @Option(names = "--json", description = "Print the API's JSON.")
        boolean json;

        ListCerts(Invocation inv) {
            super(inv);
        }

        @Override
        public Integer call() {
            String app = app();
            JsonNode node = inv.api().get(Invocation.appPath(app, "certs"));
            if (json) {
                inv.printJson(node);
                return 0;
            }
            CertificateView[] certs = inv.api().convert(node, CertificateView[].class);
            Listing.header(inv.out(), app + " Certificates");
            if (certs.length == 0) {
                inv.out().print("none: its names are served with the platform's certificate; "
                        + "`slipway certs:add CERT KEY` adds one\n");
            }
            for (CertificateView c : certs) {
                inv.out().print("Domains:  " + String.join(", ", c.domains()) + "\n"
                        + "Subject:  " + c.subject() + "\n"
                        + "Issuer:   " + c.issuer() + "\n"
                        + "Expires:  " + c.notAfter() + "\n"
                        + "Source:   " + c.source() + "\n"
                        + "Redirect: " + (c.forceHttps() ? "on (HTTP → HTTPS, HSTS)" : "off") + "\n\n");
            }
            return 0;
        }
    }

    @Command(name = "certs:add", mixinStandardHelpOptions = true, versionProvider = CliVersion.class,
            description = "Serve an app's names with a certificate (PEM chain, leaf first) and its unencrypted private key.")
    static final class Add extends AppCommand {
        @Parameters(index = "0", paramLabel = "CERT", description = "The certificate chain, PEM (server certificate first).")
        Path cert;
        @Parameters(index = "1", paramLabel = "KEY", description = "Its private key, PEM, without a passphrase.")
        Path key;

        Add(Invocation inv) {
            super(inv);
        }

        @Override
        public Integer call() {
            String app = app();
            AddCertificate body = new AddCertificate(read(cert, "certificate"), read(key, "private key"));
            Progress.run(inv, "Adding the certificate to " + app,
                    () -> inv.api().post(Invocation.appPath(app, "certs"), body),
                    added -> "done, serving " + added.path("domains").toString());
            return 0;
        }

        private static String read(Path file, String what) {
            try {
                return Files.readString(file);
            } catch (IOException e) {
                throw new CliException("cannot read the " + what + " file " + file + ": " + e.getMessage());
            }
        }
    }

    @Command(name = "certs:remove", mixinStandardHelpOptions = true, versionProvider = CliVersion.class,
            description = "Remove an app's uploaded certificate (its names fall back to the platform's certificate).")
    static final class Remove extends AppCommand {
        Remove(Invocation inv) {
            super(inv);
        }

        @Override
        public Integer call() {
            String app = app();
            Progress.run(inv, "Removing the certificate of " + app,
                    () -> inv.api().delete(Invocation.appPath(app, "certs")), removed -> "done");
            return 0;
        }
    }

    @Command(name = "certs:redirect", mixinStandardHelpOptions = true, versionProvider = CliVersion.class,
            description = "on: plain HTTP to the app answers 308 to HTTPS and HTTPS answers carry HSTS; off: both served.")
    static final class Redirect extends AppCommand {
        @Parameters(index = "0", paramLabel = "on|off")
        String state;

        Redirect(Invocation inv) {
            super(inv);
        }

        @Override
        public Integer call() {
            String app = app();
            boolean on = switch (state.toLowerCase(java.util.Locale.ROOT)) {
                case "on" -> true;
                case "off" -> false;
                default -> throw new CliException("certs:redirect takes on or off, got '" + state + "'");
            };
            Progress.run(inv, "Turning the HTTPS redirect of " + app + (on ? " on" : " off"),
                    () -> inv.api().put(Invocation.appPath(app, "certs", "redirect"), new HttpsSetting(on)), done -> "done");
            return 0;
        }
    }
}
