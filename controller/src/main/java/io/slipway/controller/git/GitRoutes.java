package io.slipway.controller.git;

import io.slipway.controller.app.App;
import io.slipway.controller.app.AppService;
import io.slipway.controller.auth.BearerAuth;
import io.slipway.controller.build.BuildFailedException;
import io.slipway.controller.build.BuildOutput;
import io.slipway.controller.build.BuildPipeline;
import io.slipway.controller.deploy.ReleaseProgress;
import io.slipway.controller.http.ApiException;
import io.slipway.controller.http.RequestId;
import io.slipway.controller.http.Routes;
import io.slipway.controller.release.Release;
import io.slipway.controller.release.ReleaseService;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.util.Headers;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.PacketLineOut;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.eclipse.jgit.transport.ReceivePack;
import org.eclipse.jgit.transport.RefAdvertiser.PacketLineOutRefAdvertiser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Git's smart HTTP protocol, push only, at {@code /git/<app>.git} (and {@code /<app>.git}): a thin adapter from JGit's
 * {@link ReceivePack} to the build pipeline. A push is "build, then make a release", after which
 * the release goes the way every release goes (release command, boot, cut-over) while the push
 * follows and tells. It all runs in the pre-receive hook while the push waits, so the output
 * reaches the pusher live as {@code remote:} lines, and a failed build or release rejects the ref
 * update: the branch does not move.
 *
 * <p>Any controller takes any push: the repository read is this controller's {@link RepositoryCache
 * copy}, caught up with the stored log first, and a push takes its app's {@link PushTurn turn} before
 * it builds, so pushes to one app through different controllers follow each other as on one disk.
 */
public final class GitRoutes {
    private static final Logger log = LoggerFactory.getLogger(GitRoutes.class);
    private static final String SERVICE = "git-receive-pack";
    private static final Set<String> DEPLOY_REFS = Set.of("refs/heads/main", "refs/heads/master");
    private static final long MAX_PACK_BYTES = 1L << 30;

    private final AppService apps;
    private final RepositoryCache repos;
    private final PushLocks locks;
    private final BuildPipeline pipeline;
    private final ReleaseProgress progress;
    private final ReleaseService releases;
    private final Duration waitAtMost;
    private final Function<App, String> webUrl;

    /** @param waitAtMost how long a push follows its release before it leaves it to go on by itself */
    public GitRoutes(AppService apps, RepositoryCache repos, PushLocks locks, BuildPipeline pipeline,
                     ReleaseProgress progress, ReleaseService releases, Duration waitAtMost, Function<App, String> webUrl) {
        this.apps = apps;
        this.repos = repos;
        this.locks = locks;
        this.pipeline = pipeline;
        this.progress = progress;
        this.releases = releases;
        this.waitAtMost = waitAtMost;
        this.webUrl = webUrl;
    }

    public void register(RoutingHandler routes) {
        // /<app>.git too: the remote the Heroku CLI computes (https://HOST/<app>.git, git:remote and apps:create).
        for (String prefix : List.of("/git/{repo}", "/{repo}")) {
            routes.get(prefix + "/info/refs", this::advertise);
            routes.post(prefix + "/" + SERVICE, this::receive);
            routes.post(prefix + "/git-upload-pack", ex -> {
                throw new ApiException(403, "forbidden", "this endpoint only receives pushes; fetching is not supported");
            });
        }
    }

    private void advertise(HttpServerExchange ex) throws IOException {
        if (!SERVICE.equals(ex.getQueryParameters().getOrDefault("service", new java.util.ArrayDeque<>()).peekFirst())) {
            throw new ApiException(403, "forbidden", "only 'git push' is supported here (smart HTTP receive-pack)");
        }
        App app = app(ex);
        try (Repository repo = repos.open(app)) {
            ReceivePack rp = receivePack(ex, repo);
            ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/x-" + SERVICE + "-advertisement");
            ex.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-cache, max-age=0, must-revalidate");
            OutputStream out = ex.getOutputStream();
            PacketLineOut pck = new PacketLineOut(out);
            pck.writeString("# service=" + SERVICE + "\n");
            pck.end();
            rp.sendAdvertisedRefs(new PacketLineOutRefAdvertiser(pck));
            out.close();
        }
    }

    private void receive(HttpServerExchange ex) throws IOException {
        App app = app(ex);
        String type = ex.getRequestHeaders().getFirst(Headers.CONTENT_TYPE);
        if (!("application/x-" + SERVICE + "-request").equals(type)) {
            throw new ApiException(415, "unsupported_media_type", "expected a git receive-pack request");
        }
        try (Repository repo = repos.open(app); PushTurn turn = new PushTurn(locks, repos, app, repo)) {
            ReceivePack rp = receivePack(ex, repo);
            String by = BearerAuth.principal(ex).name();
            String requestId = RequestId.of(ex);
            rp.setPreReceiveHook((pack, commands) -> {
                BuildOutput out = output(pack);
                if (turn.begin(commands, out)) {
                    deploy(out, commands, app, repo, by, requestId);
                    turn.store(commands, out);
                }
            });
            ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/x-" + SERVICE + "-result");
            ex.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-cache, max-age=0, must-revalidate");
            InputStream in = ex.getInputStream();
            if ("gzip".equalsIgnoreCase(ex.getRequestHeaders().getFirst(Headers.CONTENT_ENCODING))) {
                in = new GZIPInputStream(in);
            }
            OutputStream out = ex.getOutputStream();
            rp.receive(in, out, null);
            out.close();
        }
    }

    private App app(HttpServerExchange ex) {
        String repo = Routes.param(ex, "repo");
        if (!repo.endsWith(".git")) {
            throw ApiException.notFound("git repositories are at /git/<app>.git");
        }
        return apps.get(repo.substring(0, repo.length() - 4));
    }

    private ReceivePack receivePack(HttpServerExchange ex, Repository repo) {
        String by = BearerAuth.principal(ex).name();
        ReceivePack rp = new ReceivePack(repo);
        rp.setBiDirectionalPipe(false);
        rp.setAllowNonFastForwards(true); // force pushes deploy, as on Heroku
        rp.setAllowDeletes(false);
        rp.setCheckReceivedObjects(true); // refuses '..', '.git' and other unsafe paths in pushed trees
        rp.setMaxPackSizeLimit(MAX_PACK_BYTES);
        rp.setRefLogIdent(new PersonIdent(by, by + "@slipway"));
        return rp;
    }

    /** The pusher's {@code remote:} lines, live. */
    private static BuildOutput output(ReceivePack rp) {
        return line -> {
            rp.sendMessage(line);
            try {
                rp.getMessageOutputStream().flush();
            } catch (IOException e) {
                // the pusher went away; the build goes on and its outcome is recorded
            }
        };
    }

    private void deploy(BuildOutput out, Collection<ReceiveCommand> commands, App app, Repository repo, String by,
                        String requestId) {
        ReceiveCommand deploy = null;
        for (ReceiveCommand cmd : commands) {
            if (cmd.getResult() != ReceiveCommand.Result.NOT_ATTEMPTED) {
                continue;
            }
            if (!DEPLOY_REFS.contains(cmd.getRefName())) {
                reject(cmd, out, "Slipway deploys only the main or master branch, not "
                        + cmd.getRefName().replaceFirst("^refs/heads/", "") + ": push with 'git push slipway HEAD:main'");
            } else if (deploy != null) {
                reject(cmd, out, "push one deploy branch at a time (main or master)");
            } else {
                deploy = cmd;
            }
        }
        if (deploy == null) {
            return;
        }
        try {
            Release release = pipeline.deploy(app, repo, deploy.getNewId(), by, out);
            out.step("Launching " + release.name());
            Release ended = progress.follow(app, release, out, waitAtMost);
            String verdict = conclude(app, ended, out);
            if (verdict != null) {
                deploy.setResult(ReceiveCommand.Result.REJECTED_OTHER_REASON, verdict);
            }
        } catch (BuildPipeline.BuildInProgressException e) {
            reject(deploy, out, e.getMessage());
        } catch (BuildFailedException e) {
            out.line(" !     Push rejected: " + e.getMessage());
            deploy.setResult(ReceiveCommand.Result.REJECTED_OTHER_REASON, "build failed");
        } catch (RuntimeException e) {
            log.error("app={} request_id={} push failed", app.name(), requestId, e);
            out.line(" !     Push failed inside the platform (request id " + requestId + "): " + e.getMessage());
            deploy.setResult(ReceiveCommand.Result.REJECTED_OTHER_REASON, "platform error");
        }
    }

    /**
     * The push's last words on its release. Returns why the ref update is rejected (the release
     * failed: the branch does not move), or null when the pushed code is in a release.
     */
    private String conclude(App app, Release r, BuildOutput out) {
        Optional<Release> live = releases.current(app);
        switch (r.state()) {
            case LIVE -> {
                out.step("Released " + r.name());
                if (r.processTypes().containsKey("web")) {
                    out.detail(webUrl.apply(app) + " deployed to Slipway");
                } else {
                    List<String> types = r.processTypes().keySet().stream().filter(t -> !t.equals("release")).toList();
                    out.detail("No web process, so nothing is routed to " + app.name() + (types.isEmpty() ? ""
                            : ". Process types: " + String.join(", ", types) + "; 'slipway ps:scale " + types.get(0)
                            + "=1' runs one, 'slipway ps' shows what runs"));
                }
                return null;
            }
            case FAILED -> {
                List<String> lines = r.failure() == null ? List.of("no reason recorded") : r.failure().lines().toList();
                out.line(" !     Deploy of " + r.name() + " failed: " + lines.get(0));
                lines.stream().skip(1).forEach(l -> out.line(" !       " + l));
                out.line(" !     " + (live.isPresent() ? live.get().name() + " keeps serving."
                        : "Nothing was serving " + app.name() + ", and nothing is now."));
                return "deploy failed";
            }
            case SUPERSEDED -> {
                out.line(" !     " + r.name() + " was " + (r.failure() == null ? "superseded before it went live" : r.failure())
                        + "; 'slipway releases' shows how that one fares");
                return null;
            }
            default -> {
                out.line(" !     " + r.name() + " is still " + r.state().value().replace('_', ' ') + " after "
                        + waitAtMost.toSeconds() + " s; " + (live.isPresent() ? live.get().name()
                        + " keeps serving until it is live" : "it goes live by itself once its dynos are up")
                        + ". Follow it with 'slipway releases' and 'slipway ps'");
                return null;
            }
        }
    }

    private static void reject(ReceiveCommand cmd, BuildOutput out, String why) {
        out.line(" !     " + why);
        cmd.setResult(ReceiveCommand.Result.REJECTED_OTHER_REASON, why);
    }
}
