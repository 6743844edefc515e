package io.slipway.cli;

import io.slipway.api.AppInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * The {@code git} topic: a checkout's remote for an app, and the credential helper that lets
 * {@code git push slipway main} authenticate with the CLI's API token, with no token in the URL.
 */
final class GitCommands {
    /** Set by the {@code ./slipway} script to its own absolute path: what git runs to ask for the token. */
    static final String LAUNCHER_VARIABLE = "SLIPWAY_SCRIPT";

    private GitCommands() {}

    @Command(name = "git:remote", mixinStandardHelpOptions = true, versionProvider = CliVersion.class,
            description = {"Point a git remote of this checkout at an app, so `git push slipway main` deploys it.",
                    "Adds the remote (or changes its URL), and sets this repository's local git config to ask "
                            + "slipway for the API token when git talks to the platform: no token in the URL, "
                            + "nothing to type."})
    static final class Remote extends AppCommand {
        @Option(names = {"-r", "--remote"}, paramLabel = "REMOTE", defaultValue = AppResolver.REMOTE,
                description = "The remote's name. Default: ${DEFAULT-VALUE}.")
        String remote;

        Remote(Invocation inv) {
            super(inv);
        }

        @Override
        public Integer call() {
            LocalGit.Result inside = LocalGit.run(inv.ctx(), "rev-parse", "--git-dir");
            if (!inside.ok()) {
                throw new CliException(inv.ctx().cwd() + " is not inside a git repository: run `git init` first");
            }
            String launcher = launcher();
            String app = app();
            ApiClient api = inv.api();
            AppInfo info = api.convert(api.get(Invocation.appPath(app)), AppInfo.class);
            String url = info.gitUrl();
            String base = GitCredentials.base(url).orElseThrow(() -> new CliException(
                    "the platform gave " + app + " a git URL that is not http(s): " + url));

            setRemote(url);
            configureHelper(base, launcher);

            if (!GitCredentials.sameOrigin(url, api.baseUrl())) {
                inv.err().print("slipway: warning: " + app + "'s git URL " + url + " is not on the API URL "
                        + api.baseUrl() + " this CLI holds a token for, so git will not get the token from slipway\n");
            }
            inv.out().print("set git remote " + remote + " to " + url + "\n");
            return 0;
        }

        private void setRemote(String url) {
            LocalGit.Result current = git("config", "--get", "remote." + remote + ".url");
            if (current.ok() && current.value().equals(url)) {
                return;
            }
            LocalGit.Result set = current.ok()
                    ? git("remote", "set-url", remote, url)
                    : git("remote", "add", remote, url);
            if (!set.ok()) {
                throw new CliException("git refused the remote '" + ConfigAssignments.printable(remote) + "': "
                        + set.reason());
            }
        }

        /**
         * {@code credential.<base>.helper}: first an empty value, which makes git forget the helpers
         * of the user's global config for this one URL (a cached password must not win over the
         * token), then ours. Only this repository's config is touched.
         */
        private void configureHelper(String base, String launcher) {
            String key = "credential." + base;
            git("config", "--local", "--unset-all", key + ".helper"); // exit 5 when there was none: fine
            for (LocalGit.Result r : new LocalGit.Result[] {
                    git("config", "--local", "--add", key + ".helper", ""),
                    git("config", "--local", "--add", key + ".helper", "!" + ShellQuote.quote(launcher) + " git:credential"),
                    git("config", "--local", key + ".username", GitCredentials.USERNAME)}) {
                if (!r.ok()) {
                    throw new CliException("cannot write this repository's git config: " + r.reason());
                }
            }
        }

        private LocalGit.Result git(String... args) {
            return LocalGit.run(inv.ctx(), args);
        }

        /** The command git runs to reach this CLI: {@code $SLIPWAY_SCRIPT}, which the {@code ./slipway} script exports. */
        private String launcher() {
            Optional<String> script = inv.ctx().var(LAUNCHER_VARIABLE).map(String::strip);
            if (script.isPresent()) {
                Path path = Path.of(script.get());
                if (!path.isAbsolute() || !Files.isExecutable(path)) {
                    throw new CliException(LAUNCHER_VARIABLE + "=" + script.get()
                            + " is not an executable file given by its absolute path");
                }
                return script.get();
            }
            throw new CliException(LAUNCHER_VARIABLE + " is not set, so git would have no way to run slipway: "
                    + "run this through the ./slipway script");
        }
    }

    @Command(name = "git:credential", hidden = true, mixinStandardHelpOptions = true,
            versionProvider = CliVersion.class,
            description = {"Git's credential helper for the platform (git runs it; `git:remote` sets it up).",
                    "For `get`, reads git's key=value request on standard input and, when it is for this "
                            + "platform's API URL, prints username=slipway and password=<the API token>. "
                            + "`store` and `erase` do nothing: the token lives where slipway keeps it."})
    static final class Credential implements Callable<Integer> {
        private final Invocation inv;

        @Parameters(index = "0", paramLabel = "ACTION", description = "get, store or erase (from git).")
        String action;

        Credential(Invocation inv) {
            this.inv = inv;
        }

        @Override
        public Integer call() {
            // Read whatever the action, so git never writes into a closed pipe.
            Map<String, String> request = GitCredentials.read(inv.ctx().stdin());
            // gitcredentials(7): a helper ignores operations it does not know.
            if (!action.equals("get") || !GitCredentials.isFor(request, ApiTarget.url(inv.ctx()))) {
                return 0;
            }
            ApiTarget target = ApiTarget.resolve(inv.ctx());
            inv.out().print(GitCredentials.answer(target.token()));
            return 0;
        }
    }
}
