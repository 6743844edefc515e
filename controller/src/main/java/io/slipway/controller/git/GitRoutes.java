package io.slipway.controller.git;

import io.slipway.controller.app.App;
import io.slipway.controller.app.AppService;
import io.slipway.controller.auth.BearerAuth;
import io.slipway.controller.build.BuildFailedException;
import io.slipway.controller.build.BuildOutput;
import io.slipway.controller.build.BuildPipeline;
import io.slipway.controller.dyno.DynoManager;
import io.slipway.controller.run.OneOffDynos;
import io.slipway.controller.release.ReleaseService;
import java.time.Duration;
import io.slipway.controller.http.ApiException;
import io.slipway.controller.http.RequestId;
import io.slipway.controller.http.Routes;
import io.slipway.controller.release.Release;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.util.Headers;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Collection;
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
 * Git's smart HTTP protocol, push only, at {@code /git/<app>.git}: a thin adapter from JGit's
 * {@link ReceivePack} to the build pipeline. The build runs in the pre-receive hook while the push
 * waits, so its output reaches the pusher live as {@code remote:} lines and a failed build rejects
 * the ref update: nothing is released and the branch does not move.
 */
public final class GitRoutes {
    private static final Logger log = LoggerFactory.getLogger(GitRoutes.class);
    private static final String SERVICE = "git-receive-pack";
    private static final Set<String> DEPLOY_REFS = Set.of("refs/heads/main", "refs/heads/master");
    private static final long MAX_PACK_BYTES = 1L << 30;

    private final AppService apps;
    private final GitRepositories repos;
    private final BuildPipeline pipeline;
    private final DynoManager dynos;
    private final ReleaseService releases;
    private final OneOffDynos runs;
    private final Duration bootTimeout;
    private final Function<App, String> webUrl;

    public GitRoutes(AppService apps, GitRepositories repos, BuildPipeline pipeline, DynoManager dynos,
                     ReleaseService releases, OneOffDynos runs, Duration bootTimeout, Function<App, String> webUrl) {
        this.runs = runs;
        this.apps = apps;
        this.repos = repos;
        this.pipeline = pipeline;
        this.dynos = dynos;
        this.releases = releases;
        this.bootTimeout = bootTimeout;
        this.webUrl = webUrl;
    }

    public void register(RoutingHandler routes) {
        routes.get("/git/{repo}/info/refs", this::advertise);
        routes.post("/git/{repo}/" + SERVICE, this::receive);
        routes.post("/git/{repo}/git-upload-pack", ex -> {
            throw new ApiException(403, "forbidden", "this endpoint only receives pushes; fetching is not supported");
        });
    }

    private void advertise(HttpServerExchange ex) throws IOException {
        if (!SERVICE.equals(ex.getQueryParameters().getOrDefault("service", new java.util.ArrayDeque<>()).peekFirst())) {
            throw new ApiException(403, "forbidden", "only 'git push' is supported here (smart HTTP receive-pack)");
        }
        App app = app(ex);
        try (Repository repo = repos.open(app.name())) {
            ReceivePack rp = receivePack(ex, app, repo);
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
        String type = ex.getRequestHeaders().getFirst(Headers.CONTENT_TYPE);
        if (!("application/x-" + SERVICE + "-request").equals(type)) {
            throw new ApiException(415, "unsupported_media_type", "expected a git receive-pack request");
        }
        App app = app(ex);
        try (Repository repo = repos.open(app.name())) {
            ReceivePack rp = receivePack(ex, app, repo);
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

    private ReceivePack receivePack(HttpServerExchange ex, App app, Repository repo) {
        String by = BearerAuth.principal(ex).name();
        ReceivePack rp = new ReceivePack(repo);
        rp.setBiDirectionalPipe(false);
        rp.setAllowNonFastForwards(true); // force pushes deploy, as on Heroku
        rp.setAllowDeletes(false);
        rp.setCheckReceivedObjects(true); // refuses '..', '.git' and other unsafe paths in pushed trees
        rp.setMaxPackSizeLimit(MAX_PACK_BYTES);
        rp.setRefLogIdent(new PersonIdent(by, by + "@slipway"));
        rp.setPreReceiveHook((pack, commands) -> deploy(pack, commands, app, repo, by, RequestId.of(ex)));
        return rp;
    }

    private void deploy(ReceivePack rp, Collection<ReceiveCommand> commands, App app, Repository repo, String by,
                        String requestId) {
        BuildOutput out = line -> {
            rp.sendMessage(line);
            try {
                rp.getMessageOutputStream().flush();
            } catch (IOException e) {
                // the pusher went away; the build goes on and its outcome is recorded
            }
        };
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
            if (release.status().equals("releasing") && !releasePhase(app, release, by, out)) {
                deploy.setResult(ReceiveCommand.Result.REJECTED_OTHER_REASON, "release command failed");
                return;
            }
            out.step("Released " + release.name());
            // Zero-downtime: the new web dynos must accept connections before routes switch to them.
            String status = dynos.awaitRollout(app.id(), release.version(), out, bootTimeout.plusSeconds(15),
                    () -> releases.status(app, release.version()));
            if (status.equals("succeeded")) {
                out.detail(webUrl.apply(app) + " deployed to Slipway");
            } else {
                String why = status.equals("failed")
                        ? "the new web dynos did not accept connections on $PORT within " + bootTimeout.toSeconds() + " s"
                        : "the new dynos are still starting";
                out.line(" !     Deploy of " + release.name() + " failed: " + why + "; the previous release keeps serving");
                out.line(" !     Check that the web process binds 0.0.0.0:$PORT ('slipway ps' shows its state)");
                deploy.setResult(ReceiveCommand.Result.REJECTED_OTHER_REASON, "deploy failed");
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
     * The Procfile's {@code release:} command, in a one-off dyno of the new release, before it goes
     * live; its output goes into the push. A non-zero exit fails the release and the old one stays.
     */
    private boolean releasePhase(App app, Release release, String by, BuildOutput out) {
        String command = release.processTypes().get("release");
        out.step("Running release command: " + command);
        OneOffDynos.Result result = runs.run(runs.create(app, release,
                io.slipway.api.RunRequest.detached(command), by + " (release phase)"),
                runs.maxTime(), out::detail);
        if (result.exitCode() == 0 && releases.transition(app, release.version(), "releasing", "pending")) {
            dynos.wake();
            return true;
        }
        releases.transition(app, release.version(), "releasing", "failed");
        out.line(" !     Release command failed with exit code " + result.exitCode() + ": " + release.name()
                + " was not released; the running release stays live");
        return false;
    }

    private static void reject(ReceiveCommand cmd, BuildOutput out, String why) {
        out.line(" !     " + why);
        cmd.setResult(ReceiveCommand.Result.REJECTED_OTHER_REASON, why);
    }
}
