package io.slipway.controller.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.controller.docker.DockerEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A push that comes while the platform builds its stack images (as on a new host, where the
 * controller starts building them at start) hears what is built and why, and never more than a
 * couple of seconds of silence. The stack here is a throwaway one in a namespace of its own: a
 * base that takes eight silent seconds to "bootstrap" (a new tag on the real base image) and two
 * small images on it, built by the real Docker engine.
 */
class StackImagesProgressTest {
    DockerEngine docker;
    Path stackDir;
    String namespace;

    /** One line as a pusher got it, with when. */
    record Heard(long nanos, String line) {}

    @BeforeEach
    void throwawayStack() throws IOException {
        docker = DockerEngine.connect();
        // The real base image, which every build needs anyway (instant when it exists).
        Path real = Path.of("..", "buildpacks", "stack").toAbsolutePath().normalize();
        String realBase = "slipway/base:bookworm-" + StackImages.hash(real.resolve("base"), "");
        new StackImages(docker, real).ensure(BuildOutput.NULL);
        namespace = "slipway-test-" + UUID.randomUUID().toString().substring(0, 8) + "/";
        stackDir = Files.createTempDirectory("slipway-test-stack-");
        Files.createDirectories(stackDir.resolve("base"));
        Files.writeString(stackDir.resolve("base/bootstrap.sh"),
                "echo 'bootstrap: pretending to debootstrap'\nsleep 8\ndocker tag " + realBase + " \"$1\"\n");
        for (String kind : List.of("build", "run")) {
            Files.createDirectories(stackDir.resolve(kind));
            Files.writeString(stackDir.resolve(kind + "/Dockerfile"),
                    "ARG BASE\nFROM ${BASE}\nRUN echo " + kind + " > /stack-kind && sleep 4\n");
        }
    }

    @AfterEach
    void removeThrowawayImages() {
        for (var image : docker.client().listImagesCmd().exec()) {
            for (String tag : image.getRepoTags() == null ? new String[0] : image.getRepoTags()) {
                if (tag.startsWith(namespace)) {
                    docker.client().removeImageCmd(tag).withForce(true).exec();
                }
            }
        }
        Buildpacks.deleteTree(stackDir);
        docker.close();
    }

    @Test
    void aPushWaitingForTheStackImagesHearsWhatIsBuiltAndWhyAndNoSilenceOverTwoSeconds() {
        StackImages stacks = new StackImages(docker, stackDir, namespace);
        List<String> warmUp = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<StackImages.Images> atStart = CompletableFuture.supplyAsync(() -> stacks.ensure(warmUp::add));
        Awaitility.await().until(() -> warmUp.stream().anyMatch(l -> l.contains("pretending to debootstrap")));

        List<Heard> push = Collections.synchronizedList(new ArrayList<>());
        StackImages.Images images = stacks.ensure(line -> push.add(new Heard(System.nanoTime(), line)));
        push.add(new Heard(System.nanoTime(), "(ready)"));

        assertThat(atStart.join()).isEqualTo(images);
        assertThat(docker.imageExists(images.build())).isTrue();
        assertThat(docker.imageExists(images.run())).isTrue();
        List<String> lines = push.stream().map(Heard::line).toList();
        assertThat(lines.get(0)).contains("Waiting for the stack images, which the platform is building now");
        assertThat(lines.get(1)).contains("now bootstrapping the Debian base image");
        assertThat(lines).anyMatch(l -> l.contains("... still bootstrapping the Debian base image"))
                .anyMatch(l -> l.contains("Building the build stack image " + namespace + "stack-build:"))
                .anyMatch(l -> l.contains("Building the run stack image " + namespace + "stack-run:"));
        for (int i = 1; i < push.size(); i++) {
            long gapMillis = (push.get(i).nanos() - push.get(i - 1).nanos()) / 1_000_000;
            assertThat(gapMillis).as("silence before '%s' in %s", push.get(i).line(), lines).isLessThan(3_000);
        }
    }
}
