package io.slipway.controller.logs;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.LogContainerCmd;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import io.slipway.controller.docker.DockerEngine;
import io.slipway.controller.docker.Labels;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every dyno's stdout and stderr, into its app's stream as {@code app[web.1]}: each dyno container
 * of this platform is followed through the engine's log API from the moment it appears, again after
 * each restart, and once more after it exits to take its last lines. A follow resumes where the
 * app's log says that container's output stopped (Docker's own timestamps, to the nanosecond), so a
 * restarted controller neither repeats nor loses lines.
 */
public final class DynoOutput implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DynoOutput.class);
    private static final Duration POLL = Duration.ofMillis(500);

    private final DockerClient docker;
    private final String platform;
    private final LogService logs;
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().name("dyno-output").daemon().unstarted(r));
    private final Map<String, Followed> followed = new ConcurrentHashMap<>();
    private volatile boolean closed;
    private volatile String lastFailure;

    private DynoOutput(DockerClient docker, String platform, LogService logs) {
        this.docker = docker;
        this.platform = platform;
        this.logs = logs;
    }

    /** Starts following the dynos of platform {@code platform}. */
    public static DynoOutput start(String platform, LogService logs) {
        DynoOutput output = new DynoOutput(connect(), platform, logs);
        output.poller.scheduleWithFixedDelay(output::poll, 0, POLL.toMillis(), TimeUnit.MILLISECONDS);
        return output;
    }

    /**
     * A client of its own: each follow holds an engine connection for as long as the dyno runs,
     * and they must not use up the pool the dyno manager and builds draw from.
     */
    private static DockerClient connect() {
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder().build();
        ZerodepDockerHttpClient http = new ZerodepDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .maxConnections(1024)
                .connectionTimeout(Duration.ofSeconds(5))
                .build();
        return DockerClientImpl.getInstance(config, http);
    }

    /** A dyno container and whether a follow of it is under way. */
    private static final class Followed {
        final String id;
        final String shortId;
        final String app;
        final String dyno;
        volatile boolean active;
        /** The run (its start time) whose output has been read to the end after it exited. */
        volatile String drainedRun;
        volatile Closeable stream;

        Followed(String id, String app, String dyno) {
            this.id = id;
            this.shortId = id.substring(0, Math.min(12, id.length()));
            this.app = app;
            this.dyno = dyno;
        }
    }

    /** One pass: follow what runs and is not followed, drain what exited since, forget what is gone. Never throws. */
    void poll() {
        if (closed) {
            return;
        }
        try {
            List<Container> containers = docker.listContainersCmd().withShowAll(true)
                    .withLabelFilter(Map.of(Labels.PLATFORM, platform, Labels.ROLE, Labels.ROLE_DYNO)).exec();
            Set<String> live = new HashSet<>();
            Set<String> liveShort = new HashSet<>();
            for (Container c : containers) {
                live.add(c.getId());
                Followed f = followed.get(c.getId());
                if (f == null) {
                    f = identify(c);
                    if (f == null) {
                        continue;
                    }
                    followed.put(f.id, f);
                }
                liveShort.add(f.shortId);
                if (f.active) {
                    continue;
                }
                if ("running".equals(c.getState())) {
                    follow(f, null);
                } else if ("exited".equals(c.getState()) || "dead".equals(c.getState())) {
                    String run = startedAt(f.id);
                    if (run != null && !run.equals(f.drainedRun)) {
                        follow(f, run);
                    }
                }
            }
            followed.values().removeIf(f -> {
                if (live.contains(f.id)) {
                    return false;
                }
                closeQuietly(f.stream);
                return true;
            });
            logs.retainContainers(liveShort);
            lastFailure = null;
        } catch (RuntimeException e) {
            String why = e.getMessage();
            if (!closed && !java.util.Objects.equals(why, lastFailure)) {
                log.warn("cannot follow dyno output: {}", why);
                lastFailure = why;
            }
        }
    }

    private Followed identify(Container c) {
        String app = c.getLabels() == null ? null : c.getLabels().get(Labels.APP);
        if (app == null) {
            return null;
        }
        String dyno = null;
        try {
            String[] env = docker.inspectContainerCmd(c.getId()).exec().getConfig().getEnv();
            for (String e : env == null ? new String[0] : env) {
                if (e.startsWith("DYNO=")) {
                    dyno = e.substring(5);
                }
            }
        } catch (NotFoundException gone) {
            return null;
        }
        if (dyno == null || !LogFormat.PROCESS.matcher(dyno).matches()) {
            dyno = "dyno";
        }
        return new Followed(c.getId(), app, dyno);
    }

    private String startedAt(String id) {
        try {
            return docker.inspectContainerCmd(id).exec().getState().getStartedAt();
        } catch (NotFoundException gone) {
            return null;
        }
    }

    private void follow(Followed f, String exitedRun) {
        LogFile.Cursor cursor = logs.cursor(f.app, f.shortId);
        LogContainerCmd cmd = docker.logContainerCmd(f.id).withStdOut(true).withStdErr(true)
                .withFollowStream(true).withTimestamps(true);
        if (cursor != null) {
            cmd.withSince((int) cursor.time().getEpochSecond());
        }
        f.active = true;
        try {
            f.stream = cmd.exec(new Lines(f, cursor, exitedRun));
        } catch (RuntimeException e) {
            f.active = false;
            throw e;
        }
    }

    /** One follow's frames, into the app's log as lines of {@code app[<dyno>]}. */
    private final class Lines extends ResultCallback.Adapter<Frame> {
        private final Followed f;
        private final String exitedRun;
        private final DockerLines lines;

        Lines(Followed f, LogFile.Cursor resume, String exitedRun) {
            this.f = f;
            this.exitedRun = exitedRun;
            this.lines = new DockerLines(resume, (time, text) ->
                    logs.append(new LogLine(time, f.app, "app", f.dyno, text), f.shortId));
        }

        @Override
        public void onNext(Frame frame) {
            if (!closed) {
                lines.frame(frame.getStreamType(), frame.getPayload());
            }
        }

        @Override
        public void onComplete() {
            if (!closed) {
                lines.end();
            }
            if (exitedRun != null) {
                f.drainedRun = exitedRun;
            }
            f.active = false;
            super.onComplete();
        }

        @Override
        public void onError(Throwable t) {
            f.active = false;
            if (!closed && !(t instanceof NotFoundException)) {
                log.debug("app={} dyno={} following its output stopped: {}", f.app, f.dyno, t.toString());
            }
            super.onError(t);
        }
    }

    private static void closeQuietly(Closeable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (IOException | RuntimeException ignored) {
            // the stream is going away either way
        }
    }

    @Override
    public void close() {
        closed = true;
        poller.shutdownNow();
        try {
            poller.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        followed.values().forEach(f -> closeQuietly(f.stream));
        followed.clear();
        try {
            docker.close();
        } catch (IOException ignored) {
            // closing the HTTP client cannot lose anything
        }
    }
}
