package io.slipway.controller.run;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Frame;
import io.slipway.api.RunRequest;
import io.slipway.controller.app.App;
import io.slipway.controller.db.Database;
import io.slipway.controller.docker.DockerEngine;
import io.slipway.controller.docker.Labels;
import io.slipway.controller.docker.LogRotation;
import io.slipway.controller.docker.Networks;
import io.slipway.controller.docker.OutputLines;
import io.slipway.controller.dyno.DockerDynoRuntime;
import io.slipway.controller.dyno.DynoSize;
import io.slipway.controller.config.ConfigService;
import io.slipway.controller.http.ApiException;
import io.slipway.controller.http.StorableText;
import io.slipway.controller.logs.LogLine;
import io.slipway.controller.logs.LogSink;
import io.slipway.controller.release.Release;
import io.slipway.controller.release.ReleaseService;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One-off dynos: containers from a release's image with its config, hardened like every dyno and
 * on the app's network like them, named {@code run.N}, removed when they end. Used by {@code slipway run} (attached or detached),
 * the release phase and scheduled jobs.
 */
public final class OneOffDynos implements OneOffRunner {
    private static final Logger log = LoggerFactory.getLogger(OneOffDynos.class);
    private static final int FIRST_LINES = 20;

    private final Database db;
    private final DockerEngine docker;
    private final ReleaseService releases;
    private final LogSink logs;
    private final Clock clock;
    private final String platform;
    private final Duration grace;
    private final Duration maxTime;
    private final Networks networks;
    private final LogRotation logRotation;

    public OneOffDynos(Database db, DockerEngine docker, ReleaseService releases, LogSink logs, Clock clock,
                       String platform, Duration grace, Duration maxTime, Networks networks, LogRotation logRotation) {
        this.db = db;
        this.docker = docker;
        this.releases = releases;
        this.logs = logs;
        this.clock = clock;
        this.platform = platform;
        this.grace = grace;
        this.maxTime = maxTime;
        this.networks = networks;
        this.logRotation = logRotation;
    }

    /** A created (not yet started) one-off dyno. */
    public record OneOff(String app, String dyno, String containerId, String command, Release release, boolean tty,
                         Instant createdAt) {}

    /**
     * Creates a one-off dyno from the app's current release; 422 when there is none, no command, or
     * extra {@code env} that {@code config:set} would refuse.
     */
    public OneOff create(App app, RunRequest req, String by) {
        StorableText.require("the command", req.command());
        if (req.env() != null) {
            ConfigService.validate(req.env());
        }
        Release release = releases.current(app).orElseThrow(() -> ApiException.invalid(
                "app '" + app.name() + "' has no release yet: git push to deploy it, then run commands in it"));
        return create(app, release, req, by);
    }

    /** Creates a one-off dyno from a given release (the release phase runs the new one before it is live). */
    public OneOff create(App app, Release release, RunRequest req, String by) {
        if (req.command() == null || req.command().isBlank()) {
            throw ApiException.invalid("no command given: slipway run -- COMMAND");
        }
        int n = nextNumber(app);
        return create(app, release, req, by, "run." + n, "slipway-" + platform + "-" + app.name() + "-run-" + n,
                Labels.ROLE_RUN);
    }

    /**
     * The container of a release's Procfile {@code release:} command, {@code release.N} for vN. Its
     * name follows from the release alone, so a controller that restarts mid-phase finds it again.
     */
    public OneOff createReleasePhase(App app, Release release) {
        return create(app, release, RunRequest.detached(release.releaseCommand()), "release phase",
                "release." + release.version(), releasePhaseName(app.name().value(), release.version()), Labels.ROLE_RELEASE);
    }

    public String releasePhaseName(String app, int version) {
        return "slipway-" + platform + "-" + app + "-release-v" + version;
    }

    /** Every release-phase container of this platform, running or ended. */
    public List<com.github.dockerjava.api.model.Container> releasePhases() {
        return docker.client().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(Labels.PLATFORM, platform, Labels.ROLE, Labels.ROLE_RELEASE)).exec();
    }

    /** A one-off found again by its container (a release phase after a controller restart). */
    public OneOff adopt(String app, String dyno, String containerId, Release release) {
        return new OneOff(app, dyno, containerId, release.releaseCommand(), release, false, clock.instant());
    }

    private OneOff create(App app, Release release, RunRequest req, String by, String dyno, String name, String role) {
        Map<String, String> env = new LinkedHashMap<>(release.config());
        if (req.env() != null) {
            env.putAll(req.env());
        }
        env.put("PORT", "5000");
        env.put("DYNO", dyno);
        env.put("HOME", "/app");
        env.put("SLIPWAY_APP", app.name().value());
        env.put("SLIPWAY_RELEASE", release.name());
        env.put("SLIPWAY_COMMIT", release.commit() == null ? "" : release.commit());
        boolean tty = Boolean.TRUE.equals(req.tty());
        if (tty) {
            env.putIfAbsent("TERM", "xterm-256color");
            if (req.columns() != null && req.lines() != null) {
                env.put("COLUMNS", req.columns().toString());
                env.put("LINES", req.lines().toString());
            }
        }
        List<String> envList = new ArrayList<>();
        env.forEach((k, v) -> envList.add(k + "=" + v));
        envList.addAll(DockerDynoRuntime.commandEnv(req.command()));
        DynoSize size = req.size() == null ? DynoSize.STANDARD : DynoSize.of(req.size().strip());
        String id = docker.client().createContainerCmd(release.image())
                .withName(name)
                .withLabels(Map.of(Labels.PLATFORM, platform, Labels.APP, app.name().value(),
                        Labels.ROLE, role, Labels.DYNO, dyno, Labels.RELEASE, Integer.toString(release.version())))
                .withEnv(envList)
                .withWorkingDir("/app")
                .withEntrypoint(DockerDynoRuntime.ENTRYPOINT)
                .withTty(tty)
                .withStdinOpen(true)
                .withStdInOnce(true)
                .withAttachStdin(true)
                .withAttachStdout(true)
                .withAttachStderr(true)
                .withHostConfig(DockerDynoRuntime.hardened(size.memoryBytes(), size.pidsLimit(), logRotation)
                        .withNetworkMode(networks.forApp(app.name().value())))
                .exec().getId();
        logs.event(app.name().value(), "api", "Starting process with command `" + req.command() + "` by " + by);
        log.info("app={} release={} dyno={} created by {}: {}", app.name(), release.name(), dyno, by, req.command());
        return new OneOff(app.name().value(), dyno, id, req.command(), release, tty, clock.instant());
    }

    public void start(OneOff o) {
        docker.client().startContainerCmd(o.containerId()).exec();
    }

    /** Waits for the dyno to end; stops it when it outlives {@code limit}. Returns its exit code (137 if killed). */
    public int waitFor(OneOff o, Duration limit) {
        try {
            return docker.client().waitContainerCmd(o.containerId()).exec(new WaitContainerResultCallback())
                    .awaitStatusCode(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (DockerClientException timeout) {
            log.warn("app={} dyno={} ran past its limit of {} s: stopping it", o.app(), o.dyno(), limit.toSeconds());
            logs.event(o.app(), "api", o.dyno() + " ran longer than " + limit.toSeconds() + " s and was stopped");
            stop(o);
            return 137;
        } catch (NotFoundException gone) {
            return 137;
        }
    }

    /** SIGTERM, then SIGKILL after the grace period (a one-off that ignores SIGTERM still ends), then removed. */
    public void stop(OneOff o) {
        try {
            docker.client().stopContainerCmd(o.containerId()).withTimeout((int) grace.toSeconds()).exec();
        } catch (NotFoundException | NotModifiedException ignored) {
            // already ended
        }
        remove(o);
    }

    /** An ended container's exit code; null when it is gone or still runs. */
    public Integer exitCode(String containerId) {
        try {
            var state = docker.client().inspectContainerCmd(containerId).exec().getState();
            return Boolean.TRUE.equals(state.getRunning()) || state.getExitCodeLong() == null
                    ? null : state.getExitCodeLong().intValue();
        } catch (NotFoundException gone) {
            return null;
        }
    }

    /** The last {@code n} lines a one-off wrote, oldest first. */
    public List<String> lastLines(String containerId, int n) {
        return DockerDynoRuntime.lastLines(docker, containerId, n);
    }

    public void remove(OneOff o) {
        remove(o.containerId());
    }

    public void remove(String containerId) {
        docker.removeContainer(containerId);
    }

    /** Follows the dyno's output (from its start) line by line, into the app's log stream and {@code also}. */
    public ResultCallback.Adapter<Frame> follow(OneOff o, Consumer<String> also) {
        return follow(o, null, also);
    }

    /** {@link #follow(OneOff, Consumer)} from {@code since} (an adopted dyno's earlier lines are in the log already). */
    public ResultCallback.Adapter<Frame> follow(OneOff o, Instant since, Consumer<String> also) {
        OutputLines lines = new OutputLines(line -> {
            logs.append(new LogLine(clock.instant(), o.app(), "app", o.dyno(), line));
            also.accept(line);
        });
        var cmd = docker.client().logContainerCmd(o.containerId()).withFollowStream(true).withStdOut(true)
                .withStdErr(true);
        if (since != null) {
            cmd.withSince((int) since.getEpochSecond());
        }
        return cmd.exec(new ResultCallback.Adapter<>() {
                    @Override
                    public void onNext(Frame frame) {
                        lines.accept(frame.getPayload());
                    }

                    @Override
                    public void onComplete() {
                        lines.flush();
                        super.onComplete();
                    }
                });
    }

    /** Detached: started now, followed and removed in the background. */
    public void startDetached(OneOff o) {
        start(o);
        Thread.ofVirtual().name("run-" + o.app() + "-" + o.dyno()).start(() -> {
            var output = follow(o, line -> { });
            int exit = waitFor(o, maxTime);
            drain(output);
            logs.event(o.app(), "api", "Process " + o.dyno() + " exited with status " + exit);
            remove(o);
        });
    }

    @Override
    public Result runToCompletion(App app, String command, String trigger, Duration limit) {
        return run(create(app, RunRequest.detached(command), trigger), limit, line -> { });
    }

    /** Runs a created one-off to its end, streaming its lines to {@code out} too (the release phase's push). */
    public Result run(OneOff o, Duration limit, Consumer<String> out) {
        List<String> first = new ArrayList<>();
        Instant started = clock.instant();
        start(o);
        var output = follow(o, line -> {
            synchronized (first) {
                if (first.size() < FIRST_LINES) {
                    first.add(line);
                }
            }
            out.accept(line);
        });
        int exit = waitFor(o, limit.compareTo(maxTime) < 0 ? limit : maxTime);
        drain(output);
        remove(o);
        Instant ended = clock.instant();
        logs.event(o.app(), "api", "Process " + o.dyno() + " exited with status " + exit);
        synchronized (first) {
            return new Result(o.dyno(), exit, String.join("\n", first), started, ended,
                    exit == 137 && Duration.between(started, ended).compareTo(limit) >= 0);
        }
    }

    /** The one-off dynos of an app running now, for {@code ps}. */
    public List<com.github.dockerjava.api.model.Container> running(String app) {
        return docker.client().listContainersCmd()
                .withLabelFilter(Map.of(Labels.PLATFORM, platform, Labels.APP, app,
                        Labels.ROLE, Labels.ROLE_RUN)).exec();
    }

    public Duration maxTime() {
        return maxTime;
    }

    private int nextNumber(App app) {
        return db.inTransaction(c -> {
            try (var st = c.prepareStatement("update apps set run_counter = run_counter + 1 where id = ? returning run_counter")) {
                st.setObject(1, app.id());
                var rs = st.executeQuery();
                if (!rs.next()) {
                    throw ApiException.notFound("app '" + app.name() + "' does not exist");
                }
                return rs.getInt(1);
            }
        });
    }

    /**
     * Lets the log stream of an exited dyno deliver what it still holds before closing it: the
     * engine sends the last lines after the exit is reported, and a command that ends at once
     * would otherwise lose its output.
     */
    public static void drain(ResultCallback.Adapter<Frame> callback) {
        try {
            callback.awaitCompletion(3, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            callback.close();
        } catch (IOException ignored) {
            // the stream is done either way
        }
    }
}
