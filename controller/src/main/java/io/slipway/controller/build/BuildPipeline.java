package io.slipway.controller.build;

import io.slipway.controller.app.App;
import io.slipway.controller.config.ConfigService;
import io.slipway.controller.db.Database;
import io.slipway.controller.http.ApiException;
import io.slipway.controller.http.StorableText;
import io.slipway.controller.logs.LogLine;
import io.slipway.controller.logs.LogSink;
import io.slipway.controller.release.Release;
import io.slipway.controller.release.ReleaseService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One deploy, from a pushed commit to a release: record the build, run the buildpacks, work out the
 * process types (Procfile first, then the buildpack's defaults) and cut vN. Any failure leaves the
 * build failed with its reason and releases nothing. One build per app at a time.
 */
public final class BuildPipeline {
    private static final Logger log = LoggerFactory.getLogger(BuildPipeline.class);

    private final Database db;
    private final BuildService builds;
    private final ReleaseService releases;
    private final ConfigService config;
    private final Buildpacks buildpacks;
    private final Builder builder;
    private final Map<String, ReentrantLock> running = new ConcurrentHashMap<>();
    private volatile LogSink logs = LogSink.NULL;

    public BuildPipeline(Database db, BuildService builds, ReleaseService releases, ConfigService config,
                         Buildpacks buildpacks, Builder builder) {
        this.db = db;
        this.builds = builds;
        this.releases = releases;
        this.config = config;
        this.buildpacks = buildpacks;
        this.builder = builder;
    }

    /** Where build output ({@code build[build.7]}) and deploy events go: the app's log stream. */
    public void logTo(LogSink sink) {
        this.logs = sink;
    }

    /** Thrown when a build for the app is already running: the second push is refused, never interleaved. */
    public static final class BuildInProgressException extends RuntimeException {
        BuildInProgressException(String app) {
            super("a build of " + app + " is already running; wait for it to finish and push again");
        }
    }

    public Release deploy(App app, Repository repo, ObjectId commit, String by, BuildOutput sink) {
        ReentrantLock lock = running.computeIfAbsent(app.name().value(), k -> new ReentrantLock());
        if (!lock.tryLock()) {
            throw new BuildInProgressException(app.name().value());
        }
        try {
            return deployLocked(app, repo, commit, by, sink);
        } finally {
            lock.unlock();
        }
    }

    private Release deployLocked(App app, Repository repo, ObjectId commit, String by, BuildOutput sink) {
        String sha = commit.name();
        Build build = builds.start(app, sha, by);
        StringBuilder captured = new StringBuilder();
        LogSink logs = this.logs;
        BuildOutput out = raw -> {
            String line = StorableText.scrub(raw); // a buildpack may print anything; the output is stored
            sink.line(line);
            logs.append(new LogLine(java.time.Instant.now(), app.name().value(), "build", "build." + build.number(), line));
            if (captured.length() < 4 * BuildService.MAX_OUTPUT_CHARS) {
                captured.append(line).append('\n');
            }
        };
        long started = System.nanoTime();
        try {
            out.step("Building " + app.name() + " (build " + build.number() + ", commit " + sha.substring(0, 7) + ")");
            Map<String, String> vars = config.get(app);
            SourceArchive source = new SourceArchive(repo, commit);
            Builder.Result result;
            try (Buildpacks.Selection selection = buildpacks.select(
                    Optional.ofNullable(vars.get("BUILDPACK_URL")), source.topLevelFile(".buildpacks"), out)) {
                result = builder.build(new Builder.Request(app.name().value(), build.number(), sha, source, vars,
                        selection, buildpacks.builtinNames()), out);
            }
            // The Procfile of the built slug, not of the pushed tree: a buildpack may have moved it.
            Optional<Procfile> procfile = Optional.ofNullable(result.procfile()).map(BuildPipeline::parseProcfile);
            Map<String, String> types = processTypes(procfile, result, out);
            builds.succeeded(build, result, types, captured.toString());
            Release release = db.inTransaction(c -> releases.create(c, app, build.id(), vars, types,
                    "Deploy " + sha.substring(0, 7), by));
            log.info("app={} build={} release={} deployed commit {} in {} ms", app.name(), build.number(),
                    release.name(), sha.substring(0, 7), (System.nanoTime() - started) / 1_000_000);
            logs.event(app.name().value(), "api", "Deploy " + sha.substring(0, 7) + " by " + by);
            return release;
        } catch (BuildFailedException | ApiException e) {
            builds.failed(build, StorableText.scrub(e.getMessage()), captured.toString());
            log.info("app={} build={} failed: {}", app.name(), build.number(), e.getMessage());
            logs.event(app.name().value(), "api", "Build " + build.number() + " failed: " + e.getMessage());
            throw new BuildFailedException(e.getMessage(), e);
        } catch (IOException e) {
            builds.failed(build, "reading the pushed commit failed: " + e.getMessage(), captured.toString());
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            builds.failed(build, StorableText.scrub("internal error: " + e.getMessage()), captured.toString());
            throw e;
        }
    }

    private static Procfile parseProcfile(String text) {
        try {
            return Procfile.parse(text);
        } catch (ApiException e) {
            throw new BuildFailedException(e.getMessage(), e);
        }
    }

    private static Map<String, String> processTypes(Optional<Procfile> procfile, Builder.Result result, BuildOutput out) {
        Map<String, String> types = new LinkedHashMap<>();
        for (var e : result.defaultProcessTypes().entrySet()) {
            if (!Procfile.TYPE_NAME.matcher(e.getKey()).matches()) {
                throw new BuildFailedException("the buildpack declared an invalid process type '"
                        + StorableText.scrub(e.getKey()) + "'");
            }
            String problem = StorableText.problem(e.getValue());
            if (problem != null) {
                throw new BuildFailedException("the buildpack's command for process type '" + e.getKey() + "' " + problem);
            }
            types.put(e.getKey(), e.getValue());
        }
        procfile.ifPresent(p -> types.putAll(p.processTypes()));
        out.step("Discovering process types");
        procfile.ifPresent(p -> out.detail("Procfile declares types     -> " + String.join(", ", p.processTypes().keySet())));
        if (!result.defaultProcessTypes().isEmpty()) {
            out.detail("Default types for buildpack -> " + String.join(", ", result.defaultProcessTypes().keySet()));
        }
        if (types.isEmpty()) {
            out.detail("No process types: add a Procfile (e.g. 'web: python app.py') to run something");
        }
        return types;
    }
}
