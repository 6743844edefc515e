package io.slipway.controller.build;

import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.model.BuildResponseItem;
import io.slipway.controller.docker.DockerEngine;
import io.slipway.controller.docker.Labels;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The build and run stack images, built locally from {@code buildpacks/stack/}. Each is tagged with
 * a hash of its definition (and of the base it stands on), so it is built once, reused, and rebuilt
 * only when its definition changes. The Debian base is bootstrapped with debootstrap when missing,
 * since no registry can be assumed reachable. Building them takes minutes on a new host, so
 * everyone waiting (the controller's warm-up at start and any push that comes meanwhile) hears
 * what is being built and why, and a silence of more than two seconds is broken by a line saying
 * what is awaited.
 */
public final class StackImages {
    private static final Logger log = LoggerFactory.getLogger(StackImages.class);

    private static final Duration QUIET = Duration.ofSeconds(2);

    private final DockerEngine docker;
    private final Path stackDir;
    private final String namespace;
    private final ReentrantLock building = new ReentrantLock();
    private final StackProgress progress = new StackProgress(System::nanoTime, QUIET);
    private volatile Images ready;

    /** The two images a build needs. */
    public record Images(String build, String run) {}

    public StackImages(DockerEngine docker, Path stackDir) {
        this(docker, stackDir, "slipway/");
    }

    /**
     * {@code namespace} prefixes the images' repositories ({@code slipway/}); outdated stack images
     * are pruned only within it. Tests build throwaway stacks in a namespace of their own.
     */
    StackImages(DockerEngine docker, Path stackDir, String namespace) {
        this.docker = docker;
        this.stackDir = stackDir;
        this.namespace = namespace;
    }

    /**
     * Builds whatever is missing (minutes on a fresh machine, instant afterwards). A caller that
     * comes while another builds them waits, and hears the same progress meanwhile.
     */
    public Images ensure(BuildOutput out) {
        Images current = ready;
        if (current != null && docker.imageExists(current.build()) && docker.imageExists(current.run())) {
            return current;
        }
        try (StackProgress.Registration ignored = progress.listen(out)) {
            if (!building.tryLock()) {
                out.step("Waiting for the stack images, which the platform is building now (first build on this host, "
                        + "or buildpacks/stack/ changed)");
                out.detail("now " + progress.activity());
                building.lock();
            }
            try {
                current = ready;
                if (current != null && docker.imageExists(current.build()) && docker.imageExists(current.run())) {
                    return current;
                }
                return buildMissing();
            } finally {
                building.unlock();
            }
        }
    }

    /** Builds the missing images, with a heartbeat that breaks every silence longer than {@link #QUIET}. */
    private Images buildMissing() {
        Thread heartbeat = Thread.ofVirtual().name("stack-progress").start(() -> {
            while (true) {
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
                progress.tick();
            }
        });
        try {
            StackProgress out = progress;
            String base = namespace + "base:bookworm-" + hash(stackDir.resolve("base"), "");
            if (!docker.imageExists(base)) {
                out.step("Bootstrapping the Debian base image " + base + " (first build on this host, or "
                        + stackDir.resolve("base") + " changed)");
                out.activity("bootstrapping the Debian base image with debootstrap from the host's apt mirror "
                        + "(about 30 s; its log is printed only if it fails)");
                bootstrap(base, out);
            }
            String baseId = docker.client().inspectImageCmd(base).exec().getId();
            String build = namespace + "stack-build:" + hash(stackDir.resolve("build"), baseId);
            String run = namespace + "stack-run:" + hash(stackDir.resolve("run"), baseId);
            for (var image : List.of(Map.entry("build", build), Map.entry("run", run))) {
                if (!docker.imageExists(image.getValue())) {
                    out.step("Building the " + image.getKey() + " stack image " + image.getValue() + " (first build on this host, or "
                            + stackDir.resolve(image.getKey()) + " changed; about a minute)");
                    out.activity("building the " + image.getKey() + " stack image");
                    buildImage(image.getKey(), stackDir.resolve(image.getKey()), base, image.getValue(), out);
                }
            }
            Images images = new Images(build, run);
            ready = images;
            pruneOlderStacks(Set.of(build, run));
            return images;
        } finally {
            heartbeat.interrupt();
        }
    }

    /** Stack images of earlier definitions are a gigabyte each: drop them once the current ones exist. */
    private void pruneOlderStacks(Set<String> current) {
        for (var image : docker.client().listImagesCmd().withLabelFilter(Map.of(Labels.ROLE, Labels.ROLE_STACK)).exec()) {
            String[] tags = image.getRepoTags() == null ? new String[0] : image.getRepoTags();
            boolean stale = tags.length > 0 && java.util.Arrays.stream(tags).allMatch(t ->
                    (t.startsWith(namespace + "stack-build:") || t.startsWith(namespace + "stack-run:")) && !current.contains(t));
            if (stale) {
                try {
                    docker.client().removeImageCmd(image.getId()).exec();
                    log.info("removed the outdated stack image {}", String.join(", ", tags));
                } catch (RuntimeException inUse) {
                    // a dyno of an older release still runs on it: keep it for now
                }
            }
        }
    }

    private void bootstrap(String tag, StackProgress out) {
        Path script = stackDir.resolve("base/bootstrap.sh");
        try {
            Process p = new ProcessBuilder("bash", script.toString(), tag).redirectErrorStream(true).start();
            p.getOutputStream().close();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    out.detail(line);
                }
            }
            int exit = p.waitFor();
            if (exit != 0 || !docker.imageExists(tag)) {
                throw new BuildFailedException("bootstrapping the Debian base image failed (exit " + exit + " from " + script + ")");
            }
        } catch (IOException e) {
            throw new BuildFailedException("cannot run " + script + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BuildFailedException("interrupted while bootstrapping the base image", e);
        }
    }

    private void buildImage(String kind, Path dir, String base, String tag, StackProgress out) {
        long start = System.nanoTime();
        try {
            docker.client().buildImageCmd()
                    .withBaseDirectory(dir.toFile())
                    .withDockerfile(dir.resolve("Dockerfile").toFile())
                    .withBuildArg("BASE", base)
                    .withPull(false)
                    .withTags(Set.of(tag))
                    .withLabels(Map.of(Labels.ROLE, Labels.ROLE_STACK))
                    .exec(new BuildImageResultCallback() {
                        @Override
                        public void onNext(BuildResponseItem item) {
                            if (item.getStream() != null && !item.getStream().isBlank()) {
                                String line = item.getStream().strip();
                                if (line.startsWith("Step ")) {
                                    // Docker says nothing while it commits a step's layer: name the step.
                                    out.activity("building the " + kind + " stack image, "
                                            + (line.length() > 90 ? line.substring(0, 90) + "…" : line));
                                }
                                out.detail(item.getStream().stripTrailing());
                            }
                            super.onNext(item);
                        }
                    })
                    .awaitImageId();
        } catch (RuntimeException e) {
            throw new BuildFailedException("building the stack image " + tag + " failed: " + e.getMessage(), e);
        }
        log.info("stack image {} built in {} s", tag, (System.nanoTime() - start) / 1_000_000_000);
    }

    /** A short hash of every file under {@code dir} (path and content) plus {@code salt}. */
    static String hash(Path dir, String salt) {
        try (Stream<Path> files = Files.walk(dir)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(salt.getBytes(StandardCharsets.UTF_8));
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                sha.update(dir.relativize(f).toString().getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(Files.readAllBytes(f));
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, 12);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the stack definition " + dir + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
