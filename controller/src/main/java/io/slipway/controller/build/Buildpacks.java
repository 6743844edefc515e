package io.slipway.controller.build;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;

/**
 * Which buildpacks a build runs. By default the built-ins in {@code buildpacks/order}, and the first
 * whose {@code bin/detect} matches wins. {@code BUILDPACK_URL} names one (a built-in's name, a
 * directory, or a git URL with an optional {@code #ref}); a {@code .buildpacks} file names several,
 * run in order.
 */
public final class Buildpacks {
    private final Path builtinRoot;

    /** A buildpack ready to copy into a build: its name and a directory with {@code bin/}. */
    public record Buildpack(String name, Path dir, boolean temporary) {}

    /** What to run, and whether detection picks one ({@code detect}) or all run in order. */
    public record Selection(List<Buildpack> buildpacks, boolean detect) implements AutoCloseable {
        @Override
        public void close() {
            buildpacks.stream().filter(Buildpack::temporary).forEach(b -> deleteTree(b.dir()));
        }
    }

    public Buildpacks(Path builtinRoot) {
        this.builtinRoot = builtinRoot;
    }

    public List<String> builtinNames() {
        try {
            return Files.readAllLines(builtinRoot.resolve("order")).stream()
                    .map(String::strip).filter(s -> !s.isEmpty() && !s.startsWith("#")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + builtinRoot.resolve("order") + ": " + e.getMessage(), e);
        }
    }

    public Selection select(Optional<String> buildpackUrl, Optional<String> dotBuildpacks, BuildOutput out) {
        if (buildpackUrl.isPresent() && !buildpackUrl.get().isBlank()) {
            return new Selection(List.of(fetch(buildpackUrl.get().strip(), "BUILDPACK_URL", out)), false);
        }
        if (dotBuildpacks.isPresent()) {
            List<Buildpack> list = new ArrayList<>();
            for (String line : dotBuildpacks.get().split("\r?\n")) {
                String l = line.strip();
                if (!l.isEmpty() && !l.startsWith("#")) {
                    list.add(fetch(l, ".buildpacks", out));
                }
            }
            if (!list.isEmpty()) {
                return new Selection(list, false);
            }
        }
        return new Selection(builtinNames().stream().map(n -> new Buildpack(n, builtinRoot.resolve(n), false)).toList(), true);
    }

    private Buildpack fetch(String ref, String source, BuildOutput out) {
        if (ref.matches("[a-z0-9-]+") && Files.isDirectory(builtinRoot.resolve(ref).resolve("bin"))) {
            return new Buildpack(ref, builtinRoot.resolve(ref), false);
        }
        Path local = ref.startsWith("/") ? Path.of(ref) : null;
        if (local != null && Files.isDirectory(local.resolve("bin"))) {
            return new Buildpack(local.getFileName().toString(), local, false);
        }
        String url = ref;
        String branch = null;
        int hash = ref.lastIndexOf('#');
        if (hash > 0) {
            url = ref.substring(0, hash);
            branch = ref.substring(hash + 1);
        }
        if (!(url.startsWith("https://") || url.startsWith("http://") || url.startsWith("git://")
                || url.startsWith("file://") || url.startsWith("/"))) {
            throw new BuildFailedException(source + " '" + ref + "' is not a built-in buildpack (" + String.join(", ", builtinNames())
                    + "), a directory with bin/, or a git URL");
        }
        out.step("Fetching buildpack " + ref);
        Path dir;
        try {
            dir = Files.createTempDirectory("slipway-buildpack-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (Git ignored = Git.cloneRepository().setURI(url).setDirectory(dir.toFile()).setBranch(branch)
                .setCloneSubmodules(false).setTimeout(60).call()) {
            deleteTree(dir.resolve(".git"));
        } catch (GitAPIException | RuntimeException e) {
            deleteTree(dir);
            throw new BuildFailedException(source + " '" + ref + "' could not be fetched: " + e.getMessage(), e);
        }
        if (!Files.isRegularFile(dir.resolve("bin/detect")) || !Files.isRegularFile(dir.resolve("bin/compile"))) {
            deleteTree(dir);
            throw new BuildFailedException(source + " '" + ref + "' is not a buildpack: it has no bin/detect and bin/compile");
        }
        String name = url.replaceAll("/+$", "").replaceAll("\\.git$", "");
        name = name.substring(name.lastIndexOf('/') + 1);
        return new Buildpack(name.isEmpty() ? "custom" : name, dir, true);
    }

    static void deleteTree(Path p) {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            walk.sorted(Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
        } catch (IOException ignored) {
            // best effort: a leftover temp dir is harmless
        }
    }
}
