package io.slipway.controller.logs;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.AsyncDockerCmd;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Frame;
import io.slipway.controller.docker.DockerEngine;
import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every dyno's output followed into its app's stream, the half that the two ways of finding dynos
 * share ({@link DynoOutput}: a local engine's containers; {@link TaskOutput}: Swarm's tasks): a
 * poller that runs their pass every 500 ms, the sources of output it has seen, and each source's one
 * log stream at a time, whose lines go into the app's log after the ones it already has (the
 * source's cursor), so a restarted controller neither repeats nor loses a line.
 */
final class OutputFollows implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OutputFollows.class);
    private static final Duration POLL = Duration.ofMillis(500);

    /**
     * A client of its own: each follow holds an engine connection for as long as the dyno runs,
     * and they must not use up the pool the dyno manager and builds draw from.
     */
    private final DockerEngine docker;
    private final LogService logs;
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().name("dyno-output").daemon().unstarted(r));
    private final Map<String, Source> sources = new ConcurrentHashMap<>();
    private volatile boolean closed;
    private volatile String lastFailure;

    private OutputFollows(URI dockerHost, LogService logs) {
        this.docker = DockerEngine.at(dockerHost.toString(), 1024);
        this.logs = logs;
    }

    /** How dynos are found: one pass looks at them once, and follows, stops and forgets their output's sources. */
    interface Pass {
        void run(OutputFollows follows);
    }

    /**
     * Starts following the output of the dynos {@code pass} finds through the engine at
     * {@code dockerHost}, now and every 500 ms after its last pass ended.
     */
    static OutputFollows start(URI dockerHost, LogService logs, Pass pass) {
        OutputFollows follows = new OutputFollows(dockerHost, logs);
        follows.poller.scheduleWithFixedDelay(() -> follows.run(pass), 0, POLL.toMillis(), TimeUnit.MILLISECONDS);
        return follows;
    }

    /** One pass; one that fails is logged once per cause, and the next pass tries again. */
    private void run(Pass pass) {
        if (closed) {
            return;
        }
        try {
            pass.run(this);
            lastFailure = null;
        } catch (RuntimeException e) {
            String why = e.getMessage();
            if (!closed && !Objects.equals(why, lastFailure)) {
                log.warn("cannot follow dyno output: {}", why);
                lastFailure = why;
            }
        }
    }

    DockerClient docker() {
        return docker.client();
    }

    /**
     * One source of a dyno's output: a container, or a Swarm task. {@code key} names it in the app's
     * log (12 characters of its id), where its cursor is kept.
     */
    static final class Source {
        final String id;
        final String key;
        final String app;
        final String dyno;
        /** The run whose output has been read to its end after it exited. */
        volatile String drainedRun;
        /** The stream under way, or null. */
        private Lines current;

        Source(String id, String app, String dyno) {
            this.id = id;
            this.key = id.substring(0, Math.min(12, id.length()));
            this.app = app;
            this.dyno = dyno == null || !LogFormat.PROCESS.matcher(dyno).matches() ? "dyno" : dyno;
        }

        synchronized boolean active() {
            return current != null;
        }

        /** Whether the stream under way follows the output live, rather than reading an exited run to its end. */
        synchronized boolean following() {
            return current != null && current.run == null;
        }
    }

    /** The source of id {@code id}, made by {@code identify} when first seen; null when it cannot be. */
    Source source(String id, Supplier<Source> identify) {
        Source s = sources.get(id);
        if (s == null) {
            s = identify.get();
            if (s != null) {
                sources.put(id, s);
            }
        }
        return s;
    }

    /**
     * Opens a stream of {@code s}'s output: {@code command} is the log request (stdout, stderr and
     * timestamps) given its {@code since}, the second the log's last line of it is from (null when
     * the log has none). {@code run}: the exited run this stream reads to its end, or null when it
     * follows a running source.
     */
    void follow(Source s, String run, Function<Integer, AsyncDockerCmd<?, Frame>> command) {
        LogFile.Cursor cursor = logs.cursor(s.app, s.key);
        Lines lines = new Lines(s, cursor, run);
        synchronized (s) {
            s.current = lines;
        }
        try {
            command.apply(cursor == null ? null : (int) cursor.time().getEpochSecond()).exec(lines);
        } catch (RuntimeException e) {
            synchronized (s) {
                if (s.current == lines) {
                    s.current = null;
                }
            }
            throw e;
        }
    }

    /** Ends {@code s}'s stream: no line of it reaches the log after this returns. */
    void stop(Source s) {
        Lines lines;
        synchronized (s) {
            lines = s.current;
            s.current = null;
        }
        closeQuietly(lines);
    }

    /** Stops and forgets every source but {@code live} (ids), and the log's cursors of those forgotten. */
    void retainOnly(Set<String> live) {
        sources.values().removeIf(s -> {
            if (live.contains(s.id)) {
                return false;
            }
            stop(s);
            return true;
        });
        Set<String> keys = new HashSet<>();
        sources.values().forEach(s -> keys.add(s.key));
        logs.retainContainers(keys);
    }

    /** One stream's frames, into the app's log as lines of {@code app[<dyno>]}, while it is its source's stream. */
    private final class Lines extends ResultCallback.Adapter<Frame> {
        private final Source s;
        private final String run;
        private final DockerLines lines;

        Lines(Source s, LogFile.Cursor resume, String run) {
            this.s = s;
            this.run = run;
            this.lines = new DockerLines(resume, (time, text) ->
                    logs.append(new LogLine(time, s.app, "app", s.dyno, text), s.key));
        }

        @Override
        public void onNext(Frame frame) {
            synchronized (s) {
                if (!closed && s.current == this) {
                    lines.frame(frame.getStreamType(), frame.getPayload());
                }
            }
        }

        @Override
        public void onComplete() {
            synchronized (s) {
                if (!closed && s.current == this) {
                    lines.end();
                    if (run != null) {
                        s.drainedRun = run;
                    }
                    s.current = null;
                }
            }
            super.onComplete();
        }

        @Override
        public void onError(Throwable t) {
            boolean stopped;
            synchronized (s) {
                stopped = s.current != this; // its connection was closed under it
                if (!stopped) {
                    s.current = null;
                }
            }
            if (!closed && !stopped && !(t instanceof NotFoundException)) {
                log.debug("app={} dyno={} following its output stopped: {}", s.app, s.dyno, t.toString());
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
        sources.values().forEach(this::stop);
        sources.clear();
        docker.close();
    }
}
