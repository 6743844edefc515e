package io.slipway.controller.build;

import io.slipway.controller.docker.DockerEngine;
import io.slipway.controller.docker.Labels;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The build and run stack images, built locally from {@code buildpacks/stack/} by
 * {@link LocalImages}: tagged by a hash of their definition, built once, with progress for
 * everyone waiting (the controller's warm-up at start and any push that comes meanwhile).
 */
public final class StackImages {
    private final LocalImages images;

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
        this.images = new LocalImages(docker, stackDir.resolve("base"), namespace, "the stack images", "buildpacks/stack/",
                Labels.ROLE_STACK, List.of(
                        new LocalImages.Image("build stack", stackDir.resolve("build"), "stack-build"),
                        new LocalImages.Image("run stack", stackDir.resolve("run"), "stack-run")));
    }

    /**
     * Builds whatever is missing (minutes on a fresh machine, instant afterwards). A caller that
     * comes while another builds them waits, and hears the same progress meanwhile.
     */
    public Images ensure(BuildOutput out) {
        Map<String, String> tags = images.ensure(out);
        return new Images(tags.get("stack-build"), tags.get("stack-run"));
    }

    /** A short hash of every file under {@code dir} (path and content) plus {@code salt}. */
    static String hash(Path dir, String salt) {
        return LocalImages.hash(dir, salt);
    }
}
