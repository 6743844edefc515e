package io.slipway.controller.git;

import io.slipway.controller.app.AppName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/** The bare git repository of each app, under {@code $SLIPWAY_HOME/git/<app>.git}, created on first push. */
public final class GitRepositories {
    private final Path root;

    public GitRepositories(Path root) {
        this.root = root;
    }

    public Repository open(AppName app) {
        Path dir = root.resolve(app.value() + ".git");
        try {
            Repository repo = new FileRepositoryBuilder().setGitDir(dir.toFile()).setBare().build();
            if (!Files.exists(dir.resolve("HEAD"))) {
                Files.createDirectories(root);
                repo.create(true);
                repo.updateRef("HEAD").link("refs/heads/main");
            }
            return repo;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the git repository of " + app + " at " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Moves an app's repository to its new name (apps:rename); an app never pushed to has none. */
    public void rename(AppName from, AppName to) {
        Path dir = root.resolve(from.value() + ".git");
        if (!Files.exists(dir)) {
            return;
        }
        try {
            Files.move(dir, root.resolve(to.value() + ".git"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move the git repository " + dir + " to " + to + ": " + e.getMessage(), e);
        }
    }

    /** Bytes the app's repository takes on disk (0 before its first push): {@code apps:info}'s repo size. */
    public long sizeOnDisk(AppName app) {
        Path dir = root.resolve(app.value() + ".git");
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException | UncheckedIOException e) {
            return 0; // a push is rewriting it; the size is only shown
        }
    }

    /** Forgets an app's repository (apps:destroy). */
    public void delete(AppName app) {
        Path dir = root.resolve(app.value() + ".git");
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
