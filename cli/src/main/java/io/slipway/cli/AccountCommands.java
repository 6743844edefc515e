package io.slipway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.api.Account;
import io.slipway.api.HerokuSetup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Callable;

/** Who the CLI is: {@code login}, {@code logout}, {@code whoami}. */
final class AccountCommands {
    private AccountCommands() {}

    @Command(name = "login", mixinStandardHelpOptions = true, versionProvider = CliVersion.class,
            description = {"Save an API token for a platform, after checking that it accepts it.",
                    "The token is read from a hidden prompt, or as one line from standard input when that is "
                            + "not a terminal (`echo $TOKEN | slipway login`). It is saved with the URL in "
                            + "$SLIPWAY_HOME/credentials.json, readable only by you.",
                    "On the platform's own host no login is needed: the CLI uses the admin token `./slipway up` wrote."})
    static final class Login implements Callable<Integer> {
        private final Invocation inv;

        @Option(names = "--api-url", paramLabel = "URL",
                description = "The platform's API. Default: $SLIPWAY_API_URL, else the saved one, else the local platform.")
        String apiUrl;

        Login(Invocation inv) {
            this.inv = inv;
        }

        @Override
        public Integer call() {
            String url = apiUrl != null ? ApiTarget.normalize(apiUrl) : defaultUrl();
            String token = readToken(url);
            ApiTarget target = new ApiTarget(url, token, "the token given");
            Account account;
            try (ApiClient api = ApiClient.authenticated(target)) {
                ApiClient.Response response = api.exchange("GET", "/account", null);
                if (response.status() == 401) {
                    throw new CliException("the platform at " + url + " rejected that token; nothing was saved");
                }
                JsonNode body = api.body(response, "GET", "/account");
                account = api.convert(body, Account.class);
            }
            new Credentials(url, token).save(inv.home());
            inv.out().print("Logged in as " + account.name() + " at " + url + "\n");
            return 0;
        }

        /** Where a bare {@code login} points; a damaged credentials file must not stop the login that replaces it. */
        private String defaultUrl() {
            Optional<String> env = inv.ctx().var("SLIPWAY_API_URL");
            if (env.isPresent()) {
                return ApiTarget.normalize(env.get());
            }
            try {
                return ApiTarget.url(inv.ctx());
            } catch (CliException e) {
                return ApiTarget.localUrl(inv.ctx());
            }
        }

        private String readToken(String url) {
            String token;
            Optional<CliContext.Terminal> terminal = inv.ctx().terminal();
            if (terminal.isPresent()) {
                char[] typed = terminal.get().readSecret("API token for " + url + ": ");
                token = typed == null ? "" : new String(typed);
                if (typed != null) {
                    Arrays.fill(typed, '\0');
                }
            } else {
                token = readLine(inv.ctx().stdin());
            }
            token = token.strip();
            if (token.isEmpty()) {
                throw new CliException("no token given: type it at the prompt, or pipe it on standard input");
            }
            return token;
        }

        /** One line, without buffering past it: whatever follows on stdin is not ours. */
        private static String readLine(InputStream in) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            try {
                for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
                    line.write(b);
                }
            } catch (IOException e) {
                throw new CliException("cannot read the token from standard input: " + e.getMessage(), e);
            }
            return line.toString(StandardCharsets.UTF_8);
        }
    }

    @Command(name = "logout", mixinStandardHelpOptions = true, versionProvider = CliVersion.class,
            description = "Forget the token saved by `slipway login`.")
    static final class Logout implements Callable<Integer> {
        private final Invocation inv;

        Logout(Invocation inv) {
            this.inv = inv;
        }

        @Override
        public Integer call() {
            Path file = Credentials.file(inv.home());
            if (Credentials.delete(inv.home())) {
                inv.out().print("Logged out: removed " + file + "\n");
            } else {
                inv.out().print("Not logged in: there is no " + file + "\n");
            }
            return 0;
        }
    }

    @Command(name = "whoami", mixinStandardHelpOptions = true, versionProvider = CliVersion.class,
            description = "Show which account the CLI acts as, and on which platform.")
    static final class Whoami implements Callable<Integer> {
        private final Invocation inv;

        Whoami(Invocation inv) {
            this.inv = inv;
        }

        @Override
        public Integer call() {
            ApiClient api = inv.api();
            Account account = api.convert(api.get("/account"), Account.class);
            inv.out().print(account.name() + " at " + api.baseUrl() + "\n");
            return 0;
        }
    }

    @Command(name = "heroku:env", mixinStandardHelpOptions = true, versionProvider = CliVersion.class,
            description = {"Print the exports that point the Heroku CLI (`heroku`, unmodified) and its git at this platform,",
                    "with the token this CLI uses: eval \"$(slipway heroku:env)\". The platform certificate they trust",
                    "is saved as $SLIPWAY_HOME/heroku/<host>.crt."})
    static final class HerokuEnv implements Callable<Integer> {
        private final Invocation inv;

        HerokuEnv(Invocation inv) {
            this.inv = inv;
        }

        @Override
        public Integer call() throws IOException {
            ApiTarget target = ApiTarget.resolve(inv.ctx());
            HerokuSetup setup;
            try (ApiClient api = ApiClient.authenticated(target)) {
                ApiClient.Response response = api.exchange("GET", "/platform/heroku", null);
                setup = response.status() == 404 ? null
                        : api.convert(api.body(response, "GET", "/platform/heroku"), HerokuSetup.class);
            }
            Path cert = null;
            if (setup != null && setup.certificate() != null) {
                cert = inv.home().resolve("heroku").resolve(setup.domain() + ".crt");
                Files.createDirectories(cert.getParent());
                Files.writeString(cert, setup.certificate());
            }
            inv.out().print(HerokuExports.of(target, setup, cert));
            return 0;
        }
    }
}
