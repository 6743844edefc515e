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
