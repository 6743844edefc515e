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
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A set of images Slipway builds itself, each from a directory with a Dockerfile {@code FROM} the
 * Debian base (the stacks, the add-on services). Each is tagged with a hash of its definition and
 * of the base it stands on, so it is built once, reused, and rebuilt only when its definition
 * changes. The base is bootstrapped with debootstrap when missing, since no registry can be
 * assumed reachable. Building takes minutes on a new host, so everyone waiting hears what is built
 * and why, and a silence of more than two seconds is broken by a line saying what is awaited.
 */
public final class LocalImages {
    private static final Logger log = LoggerFactory.getLogger(LocalImages.class);

    private static final Duration QUIET = Duration.ofSeconds(2);

    /** One image of the set: {@code kind} names it in progress lines ("build stack"), {@code repository} tags it ("stack-build"). */
    public record Image(String kind, Path dir, String repository) {}

    private final DockerEngine docker;
    private final Path baseDir;
    private final String namespace;
    private final String what;
    private final String definedIn;
    private final String role;
    private final List<Image> images;
    private final ReentrantLock building = new ReentrantLock();
    private final StackProgress progress;
    private volatile Map<String, String> ready;

    /**
     * @param baseDir   the base image's definition ({@code buildpacks/stack/base}, with bootstrap.sh)
     * @param namespace prefixes the repositories ({@code slipway/}); outdated images are pruned only within it
     * @param what      the set in words ("the stack images"), for the lines of a caller who must wait
     * @param definedIn the directory whose change makes a rebuild, for those lines ("buildpacks/stack/")
     * @param role      the {@link Labels#ROLE} label the images carry
     */
    public LocalImages(DockerEngine docker, Path baseDir, String namespace, String what, String definedIn, String role,
                       List<Image> images) {
        this.docker = docker;
        this.baseDir = baseDir;
        this.namespace = namespace;
        this.what = what;
        this.definedIn = definedIn;
        this.role = role;
        this.images = List.copyOf(images);
        this.progress = new StackProgress(System::nanoTime, QUIET);
    }

    /**
     * The images' tags by repository, in the order given, building whatever is missing (minutes on
     * a fresh machine, instant afterwards). A caller that comes while another builds them waits,
     * and hears the same progress meanwhile.
     */
    public Map<String, String> ensure(BuildOutput out) {
        Map<String, String> current = ready;
        if (current != null && allExist(current)) {
            return current;
        }
        try (StackProgress.Registration ignored = progress.listen(out)) {
            if (!building.tryLock()) {
                out.step("Waiting for " + what + ", which the platform is building now (first build on this host, "
                        + "or " + definedIn + " changed)");
                out.detail("now " + progress.activity());
                building.lock();
            }
            try {
                current = ready;
                if (current != null && allExist(current)) {
                    return current;
                }
                return buildMissing();
            } finally {
                building.unlock();
            }
        }
    }

    private boolean allExist(Map<String, String> tags) {
        return tags.values().stream().allMatch(docker::imageExists);
    }

    /** Builds the missing images, with a heartbeat that breaks every silence longer than {@link #QUIET}. */
    private Map<String, String> buildMissing() {
        Thread heartbeat = Thread.ofVirtual().name("image-progress").start(() -> {
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
            String base = namespace + "base:bookworm-" + hash(baseDir, "");
            if (!docker.imageExists(base)) {
                out.step("Bootstrapping the Debian base image " + base + " (first build on this host, or "
                        + baseDir + " changed)");
                out.activity("bootstrapping the Debian base image with debootstrap from the host's apt mirror "
                        + "(about 30 s; its log is printed only if it fails)");
                bootstrap(base);
            }
            String baseId = docker.client().inspectImageCmd(base).exec().getId();
            Map<String, String> tags = new LinkedHashMap<>();
            for (Image image : images) {
                String tag = namespace + image.repository() + ":" + hash(image.dir(), baseId);
                tags.put(image.repository(), tag);
                if (!docker.imageExists(tag)) {
                    out.step("Building the " + image.kind() + " image " + tag + " (first build on this host, or "
                            + image.dir() + " changed; about a minute)");
                    out.activity("building the " + image.kind() + " image");
                    buildImage(image, base, tag);
                }
            }
            Map<String, String> result = java.util.Collections.unmodifiableMap(tags);
            ready = result;
            pruneOlder(Set.copyOf(result.values()));
            return result;
        } finally {
            heartbeat.interrupt();
        }
    }

    /** Images of earlier definitions can be a gigabyte each: drop them once the current ones exist. */
    private void pruneOlder(Set<String> current) {
        List<String> prefixes = images.stream().map(i -> namespace + i.repository() + ":").toList();
        for (var image : docker.client().listImagesCmd().withLabelFilter(Map.of(Labels.ROLE, role)).exec()) {
            String[] tags = image.getRepoTags() == null ? new String[0] : image.getRepoTags();
            boolean stale = tags.length > 0 && Arrays.stream(tags).allMatch(t ->
                    prefixes.stream().anyMatch(t::startsWith) && !current.contains(t));
            if (stale) {
                try {
                    docker.client().removeImageCmd(image.getId()).exec();
                    log.info("removed the outdated image {}", String.join(", ", tags));
                } catch (RuntimeException inUse) {
                    // a container of an older definition still runs on it: keep it for now
                }
            }
        }
    }

    private void bootstrap(String tag) {
        Path script = baseDir.resolve("bootstrap.sh");
        try {
            Process p = new ProcessBuilder("bash", script.toString(), tag).redirectErrorStream(true).start();
            p.getOutputStream().close();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    progress.detail(line);
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

    private void buildImage(Image image, String base, String tag) {
        long start = System.nanoTime();
        try {
            docker.client().buildImageCmd()
                    .withBaseDirectory(image.dir().toFile())
                    .withDockerfile(image.dir().resolve("Dockerfile").toFile())
                    .withBuildArg("BASE", base)
                    .withPull(false)
                    .withTags(Set.of(tag))
                    .withLabels(Map.of(Labels.ROLE, role))
                    .exec(new BuildImageResultCallback() {
                        @Override
                        public void onNext(BuildResponseItem item) {
                            if (item.getStream() != null && !item.getStream().isBlank()) {
                                String line = item.getStream().strip();
                                if (line.startsWith("Step ")) {
                                    // Docker says nothing while it commits a step's layer: name the step.
                                    progress.activity("building the " + image.kind() + " image, "
                                            + (line.length() > 90 ? line.substring(0, 90) + "…" : line));
                                }
                                progress.detail(item.getStream().stripTrailing());
                            }
                            super.onNext(item);
                        }
                    })
                    .awaitImageId();
        } catch (RuntimeException e) {
            throw new BuildFailedException("building the " + image.kind() + " image " + tag + " failed: " + e.getMessage(), e);
        }
        log.info("{} image {} built in {} s", image.kind(), tag, (System.nanoTime() - start) / 1_000_000_000);
    }

    /** A short hash of every file under {@code dir} (path and content) plus {@code salt}. */
    public static String hash(Path dir, String salt) {
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
            throw new UncheckedIOException("cannot read the image definition " + dir + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
