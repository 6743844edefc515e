package io.slipway.controller.build;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerResponse;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import io.slipway.controller.docker.DockerEngine;
import io.slipway.controller.docker.Labels;
import io.slipway.controller.docker.LogRotation;
import io.slipway.controller.docker.Networks;
import io.slipway.controller.docker.OutputLines;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a pushed tree into an image: runs the buildpacks in a container from the build stack
 * (source at /app, a per-app cache volume at /cache, config vars as files in /env), then copies
 * the resulting /app onto the run stack and commits that as the app's image. Nothing touches the
 * host's file system except a temporary tar of the build's inputs.
 *
 * <p>The build container runs third-party code, so it starts as the build user (uid 10001, whom
 * its inputs are copied in as), with no capabilities, no-new-privileges, memory, CPU and pids
 * limits, a rotated log, and on the builds' network ({@link Networks#forBuilds()}): the internet
 * for package downloads, no dyno, no other build, no host listener.
 */
public final class Builder {
    private static final Logger log = LoggerFactory.getLogger(Builder.class);
    static final int APP_UID = 10001;
    private static final List<String> PROXY_VARS =
            List.of("HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy");
    private static final String CA_PATH = "/etc/ssl/certs/ca-certificates.crt";

    private final DockerEngine docker;
    private final StackImages stacks;
    private final Settings settings;
    private final Networks networks;

    /** How builds run on this platform: {@code cpus} is a share of the host's CPUs (1.5 = one and a half). */
    public record Settings(String platform, Duration timeout, Path caBundle, Map<String, String> hostEnv,
                           long memoryBytes, double cpus, LogRotation logs) {}

    /** One build's inputs. */
    public record Request(String app, int number, String commit, SourceArchive source,
                          Map<String, String> config, Buildpacks.Selection buildpacks, List<String> supported) {}

    /**
     * What a successful build produced. {@code procfile} is the Procfile as the buildpacks left it
     * in the slug ({@code /app/Procfile}), or null when the built app has none.
     */
    public record Result(String image, String buildpack, Map<String, String> defaultProcessTypes, String procfile) {}

    public Builder(DockerEngine docker, StackImages stacks, Settings settings, Networks networks) {
        this.docker = docker;
        this.stacks = stacks;
        this.settings = settings;
        this.networks = networks;
    }

    public Result build(Request req, BuildOutput out) {
        StackImages.Images images = stacks.ensure(out);
        String name = containerName(settings.platform(), req);
        docker.removeContainer(name); // a leftover of a crashed controller must not block this build
        String volume = ensureCacheVolume(req.app());
        CreateContainerResponse created = docker.client().createContainerCmd(images.build())
                .withName(name)
                .withCmd("bash", "/slipway/build.sh")
                .withEnv(environment(req))
                .withLabels(labels(req, Labels.ROLE_BUILD))
                .withWorkingDir("/app")
                .withUser(APP_UID + ":" + APP_UID)
                .withHostConfig(HostConfig.newHostConfig()
                        .withBinds(new Bind(volume, new Volume("/cache")))
                        .withNetworkMode(networks.forBuilds())
                        .withSecurityOpts(List.of("no-new-privileges"))
                        .withCapDrop(Capability.ALL)
                        .withMemory(settings.memoryBytes())
                        .withMemorySwap(settings.memoryBytes())
                        .withNanoCPUs(Math.round(settings.cpus() * 1e9))
                        .withPidsLimit(4096L)
                        .withLogConfig(settings.logs().logConfig()))
                .exec();
        String id = created.getId();
        try {
            copyInputs(id, req);
            run(id, req, out);
            Map<String, byte[]> results = readOutputs(id);
            return commit(id, images.run(), req, results, out);
        } finally {
            docker.removeContainer(id);
        }
    }

    /** Build containers that outlived their controller (killed mid-build) are removed on start. */
    public int removeOrphans() {
        var orphans = docker.client().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(Labels.PLATFORM, settings.platform(), Labels.ROLE, Labels.ROLE_BUILD)).exec();
        orphans.forEach(c -> docker.removeContainer(c.getId()));
        var slugs = docker.client().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(Labels.PLATFORM, settings.platform(), Labels.ROLE, Labels.ROLE_SLUG)).exec();
        slugs.forEach(c -> docker.removeContainer(c.getId()));
        return orphans.size() + slugs.size();
    }

    /**
     * Removes an app's containers, cache volume and images (apps:destroy). Each step goes on when
     * another fails: a new app of the same name must never start from the old one's cache.
     */
    public void forgetApp(String app) {
        Map<String, String> ofApp = Map.of(Labels.PLATFORM, settings.platform(), Labels.APP, app);
        for (var c : docker.client().listContainersCmd().withShowAll(true).withLabelFilter(ofApp).exec()) {
            docker.removeContainer(c.getId()); // a build or dyno a concurrent step started late
        }
        try {
            docker.client().removeVolumeCmd(cacheVolume(app)).exec();
        } catch (NotFoundException ignored) {
            // never built
        } catch (DockerException e) {
            log.warn("app={} its build cache volume could not be removed: {}", app, e.getMessage());
        }
        for (var image : docker.client().listImagesCmd().withLabelFilter(ofApp).exec()) {
            try {
                docker.client().removeImageCmd(image.getId()).withForce(true).exec();
            } catch (NotFoundException ignored) {
                // already gone
            } catch (DockerException e) {
                log.warn("app={} image {} could not be removed: {}", app, image.getId(), e.getMessage());
            }
        }
    }

    static String containerName(String platform, Request req) {
        return "slipway-" + platform + "-build-" + req.app() + "-" + req.number();
    }

    /**
     * The app's cache volume. One from before builds started as the build user may hold files of
     * root's, which that user could neither change nor remove: it is dropped for a fresh one (a
     * cache is only a cache; the next build is slower once).
     */
    private String ensureCacheVolume(String app) {
        String volume = cacheVolume(app);
        try {
            var existing = docker.client().inspectVolumeCmd(volume).exec();
            Map<String, String> labels = existing.getLabels() == null ? Map.of() : existing.getLabels();
            if (Integer.toString(APP_UID).equals(labels.get(Labels.CACHE_OWNER))) {
                return volume;
            }
            log.info("app={} its build cache is from builds that ran as root: starting a new one", app);
            docker.client().removeVolumeCmd(volume).exec();
        } catch (NotFoundException e) {
            // first build of this app
        }
        docker.client().createVolumeCmd().withName(volume).withLabels(Map.of(Labels.PLATFORM,
                settings.platform(), Labels.APP, app, Labels.ROLE, Labels.ROLE_CACHE,
                Labels.CACHE_OWNER, Integer.toString(APP_UID))).exec();
        return volume;
    }

    private String cacheVolume(String app) {
        return "slipway-" + settings.platform() + "-cache-" + app;
    }

    private List<String> environment(Request req) {
        List<String> env = new ArrayList<>();
        env.add("STACK=slipway-bookworm");
        env.add("SOURCE_VERSION=" + req.commit());
        env.add("SLIPWAY_BUILDPACK_MODE=" + (req.buildpacks().detect() ? "detect" : "explicit"));
        env.add("SLIPWAY_SUPPORTED=" + String.join(", ", req.supported()));
        // Package managers behind a TLS-inspecting proxy: trust what the host trusts.
        for (String v : List.of("SSL_CERT_FILE", "NODE_EXTRA_CA_CERTS", "REQUESTS_CA_BUNDLE", "PIP_CERT", "CURL_CA_BUNDLE", "GIT_SSL_CAINFO")) {
            env.add(v + "=" + CA_PATH);
        }
        for (String v : PROXY_VARS) {
            String value = settings.hostEnv().get(v);
            if (value != null && !value.isBlank()) {
                env.add(v + "=" + value);
            }
        }
        return env;
    }

    private Map<String, String> labels(Request req, String role) {
        return Map.of(Labels.PLATFORM, settings.platform(), Labels.APP, req.app(),
                Labels.ROLE, role, Labels.BUILD, Integer.toString(req.number()),
                Labels.COMMIT, req.commit());
    }

    private void copyInputs(String id, Request req) {
        Path tarFile = null;
        try {
            tarFile = Files.createTempFile("slipway-build-", ".tar");
            try (OutputStream os = Files.newOutputStream(tarFile);
                 TarArchiveOutputStream tar = new TarArchiveOutputStream(os)) {
                tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
                // Everything the build writes belongs to the build user, who runs it.
                directory(tar, "app/", 0755, APP_UID);
                req.source().writeTo(tar, "app/", APP_UID);
                directory(tar, "env/", 0700, APP_UID);
                for (var e : req.config().entrySet()) {
                    file(tar, "env/" + e.getKey(), e.getValue().getBytes(StandardCharsets.UTF_8), 0600, APP_UID);
                }
                directory(tar, "buildpacks/", 0755, APP_UID);
                int index = 1;
                for (Buildpacks.Buildpack bp : req.buildpacks().buildpacks()) {
                    addTree(tar, bp.dir(), "buildpacks/%02d-%s/".formatted(index++, bp.name()));
                }
                // The driver stays root's, so no buildpack rewrites it while it runs; its results are the user's to write.
                directory(tar, "slipway/", 0755, 0);
                file(tar, "slipway/build.sh", resource("/builder/build.sh"), 0755, 0);
                directory(tar, "slipway/out/", 0755, APP_UID);
                if (Files.isRegularFile(settings.caBundle())) {
                    file(tar, CA_PATH.substring(1), Files.readAllBytes(settings.caBundle()), 0644, 0);
                }
            }
            try (InputStream in = Files.newInputStream(tarFile)) {
                docker.client().copyArchiveToContainerCmd(id).withTarInputStream(in).withRemotePath("/").exec();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("preparing the build's files: " + e.getMessage(), e);
        } finally {
            if (tarFile != null) {
                tarFile.toFile().delete();
            }
        }
    }

    private void run(String id, Request req, BuildOutput out) {
        docker.client().startContainerCmd(id).exec();
        OutputLines lines = new OutputLines(out::line);
        var logs = docker.client().logContainerCmd(id).withFollowStream(true).withStdOut(true).withStdErr(true)
                .exec(new ResultCallback.Adapter<Frame>() {
                    @Override
                    public void onNext(Frame frame) {
                        lines.accept(frame.getPayload());
                    }
                });
        int exit;
        try {
            exit = docker.client().waitContainerCmd(id).exec(new WaitContainerResultCallback())
                    .awaitStatusCode(settings.timeout().toSeconds(), TimeUnit.SECONDS);
        } catch (DockerClientException timeout) {
            docker.client().killContainerCmd(id).exec();
            throw new BuildFailedException("the build took longer than " + describe(settings.timeout())
                    + " and was stopped (SLIPWAY_BUILD_TIMEOUT sets the limit)");
        } finally {
            try {
                logs.awaitCompletion(5, TimeUnit.SECONDS);
                logs.close();
            } catch (IOException | InterruptedException ignored) {
                // the output is best effort once the container has ended
            }
            lines.flush();
        }
        if (exit != 0) {
            String reason = new String(readOutputs(id).getOrDefault("failure", new byte[0]), StandardCharsets.UTF_8).strip();
            throw new BuildFailedException(reason.isEmpty() ? "the build exited with code " + exit : reason);
        }
        log.info("app={} build={} compiled", req.app(), req.number());
    }

    /** The files the build driver left in /slipway/out, by name. */
    private Map<String, byte[]> readOutputs(String id) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (InputStream in = docker.client().copyArchiveFromContainerCmd(id, "/slipway/out").exec();
             TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                if (e.isFile()) {
                    files.put(Path.of(e.getName()).getFileName().toString(), tar.readAllBytes());
                }
            }
        } catch (NotFoundException e) {
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("reading the build's results: " + e.getMessage(), e);
        }
        return files;
    }

    private Result commit(String buildId, String runImage, Request req, Map<String, byte[]> results, BuildOutput out) {
        out.step("Compressing and committing the image");
        String slug = docker.client().createContainerCmd(runImage)
                .withLabels(labels(req, Labels.ROLE_SLUG))
                .withName(containerName(settings.platform(), req) + "-slug")
                .exec().getId();
        try {
            try (InputStream app = docker.client().copyArchiveFromContainerCmd(buildId, "/app").exec()) {
                docker.client().copyArchiveToContainerCmd(slug).withTarInputStream(app).withRemotePath("/").exec();
            }
            String repository = "slipway-" + settings.platform() + "/" + req.app();
            String tag = "build-" + req.number();
            Map<String, String> imageLabels = new LinkedHashMap<>(labels(req, "app"));
            docker.client().commitCmd(slug)
                    .withRepository(repository)
                    .withTag(tag)
                    .withLabels(imageLabels)
                    .withUser(APP_UID + ":" + APP_UID)
                    .withWorkingDir("/app")
                    .withEnv("HOME=/app", "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
                    .exec();
            String buildpack = new String(results.getOrDefault("buildpacks", new byte[0]), StandardCharsets.UTF_8)
                    .strip().replace('\n', '+');
            Map<String, String> defaults = new LinkedHashMap<>();
            results.entrySet().stream().filter(e -> e.getKey().startsWith("release-")).sorted(Map.Entry.comparingByKey())
                    .forEach(e -> defaults.putAll(defaultProcessTypes(e.getValue())));
            byte[] procfile = results.get("Procfile");
            return new Result(repository + ":" + tag, buildpack, defaults,
                    procfile == null ? null : new String(procfile, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("committing the app image: " + e.getMessage(), e);
        } finally {
            docker.removeContainer(slug);
        }
    }

    /** {@code default_process_types} from a buildpack's {@code bin/release} YAML. */
    static Map<String, String> defaultProcessTypes(byte[] yaml) {
        Map<String, String> types = new LinkedHashMap<>();
        if (yaml.length == 0) {
            return types;
        }
        try {
            JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
            JsonNode defaults = root == null ? null : root.get("default_process_types");
            if (defaults != null && defaults.isObject()) {
                defaults.fields().forEachRemaining(e -> {
                    if (e.getValue().isTextual() && !e.getValue().textValue().isBlank()) {
                        types.put(e.getKey(), e.getValue().textValue());
                    }
                });
            }
        } catch (IOException e) {
            throw new BuildFailedException("the buildpack's bin/release printed something that is not YAML: " + e.getMessage(), e);
        }
        return types;
    }

    private static void directory(TarArchiveOutputStream tar, String name, int mode, int uid) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setMode(040000 | mode);
        e.setIds(uid, uid);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
    }

    private static void file(TarArchiveOutputStream tar, String name, byte[] content, int mode, int uid) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(content.length);
        e.setMode(mode);
        e.setIds(uid, uid);
        tar.putArchiveEntry(e);
        tar.write(content);
        tar.closeArchiveEntry();
    }

    private static void addTree(TarArchiveOutputStream tar, Path dir, String prefix) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted().toList()) {
                Path rel = dir.relativize(p);
                if (rel.toString().equals(".git") || rel.startsWith(".git")) {
                    continue;
                }
                if (Files.isDirectory(p) && !Files.isSymbolicLink(p)) {
                    directory(tar, prefix + (rel.toString().isEmpty() ? "" : rel + "/"), 0755, APP_UID);
                } else if (Files.isRegularFile(p) && !Files.isSymbolicLink(p)) {
                    // A buildpack may write into its own directory (its `export` file).
                    file(tar, prefix + rel, Files.readAllBytes(p), Files.isExecutable(p) ? 0755 : 0644, APP_UID);
                }
            }
        }
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = Builder.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException(name + " is missing from the controller's class path");
            }
            return in.readAllBytes();
        }
    }

    private static String describe(Duration d) {
        return d.toMinutes() >= 1 && d.toSecondsPart() == 0 ? d.toMinutes() + " min" : d.toSeconds() + " s";
    }
}
