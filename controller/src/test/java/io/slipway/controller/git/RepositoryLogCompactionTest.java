package io.slipway.controller.git;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.controller.app.App;
import io.slipway.controller.app.AppName;
import io.slipway.controller.db.Database;
import io.slipway.controller.db.DatabaseUrl;
import io.slipway.controller.testing.GitPush;
import io.slipway.controller.testing.SharedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A long log is replaced by one full bundle, in one transaction, and every cache still catches up:
 * one that had applied entries now gone, and one on an empty disk. Real PostgreSQL, JGit's bundles
 * and the real {@code git} (pushing into the cache, then {@code git fsck} of what the log rebuilds).
 */
class RepositoryLogCompactionTest {
    String url;
    Database db;
    RepositoryLog log;
    App app;

    @BeforeEach
    void database() {
        url = SharedPostgres.get().createDatabase();
        db = Database.open(DatabaseUrl.parse(url), Duration.ofSeconds(5), Duration.ofSeconds(5));
        UUID id = db.inTransaction(c -> {
            var rs = c.createStatement().executeQuery("insert into apps (name) values ('compact') returning id");
            rs.next();
            return rs.getObject(1, UUID.class);
        });
        log = new RepositoryLog(db);
        app = new App(id, new AppName("compact"), Instant.now(), Instant.now());
    }

    @AfterEach
    void drop() {
        db.close();
        SharedPostgres.get().dropDatabase(url);
    }

    @Test
    void aLogLongerThanTheLimitBecomesOneFullBundleThatEveryCacheCatchesUpFrom() throws Exception {
        RepositoryCache pusher = new RepositoryCache(Files.createTempDirectory("slipway-cache-"), log, 3);
        RepositoryCache behind = new RepositoryCache(Files.createTempDirectory("slipway-cache-"), log, 3);
        GitPush dev = GitPush.init();
        for (int i = 1; i <= 5; i++) {
            push(pusher, dev.write("n.txt", i + "\n").commit("c" + i));
            if (i == 2) {
                behind.open(app).close(); // applies entries 1 and 2, which the compaction removes
            }
        }

        assertThat(log.count(app.id())).as("entries 1-3, then a full 4 replaced them, then 5").isEqualTo(2);
        assertThat(log.after(app.id(), 0).stream().map(RepositoryLog.Entry::seq)).containsExactly(4L, 5L);
        String head = dev.git("rev-parse", "HEAD").output().strip();
        try (Repository repo = behind.open(app)) {
            assertThat(repo.resolve("refs/heads/main").name()).isEqualTo(head);
        }
        RepositoryCache fresh = new RepositoryCache(Files.createTempDirectory("slipway-cache-"), log, 3);
        try (Repository repo = fresh.open(app)) {
            String gitDir = repo.getDirectory().toString();
            dev.git("--git-dir=" + gitDir, "fsck", "--full", "--strict");
            assertThat(dev.git("--git-dir=" + gitDir, "log", "--format=%s", "main").output().lines())
                    .containsExactly("c5", "c4", "c3", "c2", "c1");
        }
    }

    /** What a push does to a cache: the objects arrive, the accepted update is stored, the ref moves. */
    private void push(RepositoryCache cache, GitPush dev) throws Exception {
        try (Repository repo = cache.open(app)) {
            ObjectId head = ObjectId.fromString(dev.git("rev-parse", "HEAD").output().strip());
            dev.git("push", "-q", repo.getDirectory().toString(), "HEAD:refs/heads/incoming");
            cache.store(app, repo, Map.of("refs/heads/main", head));
            cache.settle(app, repo);
            assertThat(List.copyOf(Bundles.refs(repo).keySet())).containsExactly("refs/heads/main");
        }
    }
}
