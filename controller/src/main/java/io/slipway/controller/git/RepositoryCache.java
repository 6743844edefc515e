package io.slipway.controller.git;

import io.slipway.controller.app.App;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This controller's copy of each app's bare repository, under {@code $SLIPWAY_HOME/git/<app id>.git}:
 * a cache of the {@link RepositoryLog} that every controller shares. Before a repository is read it
 * catches up with the bundles stored since it last did; after a push is accepted, the push's bundle
 * is stored from here. A fresh disk gets the whole history from the database.
 */
public final class RepositoryCache {
    private static final Logger log = LoggerFactory.getLogger(RepositoryCache.class);
    /** The last log entry applied to a cached repository; absent in a repository never caught up. */
    private static final String POSITION = "slipway-log-position";

    private final Path root;
    private final RepositoryLog stored;
    private final long compactAfter;
    /** Catching up and storing move the refs of one directory: one at a time per app in this process. */
    private final ConcurrentMap<java.util.UUID, ReentrantLock> busy = new ConcurrentHashMap<>();

    /** @param compactAfter entries in an app's log after which the next push stores one full bundle instead */
    public RepositoryCache(Path root, RepositoryLog stored, long compactAfter) {
        this.root = root;
        this.stored = stored;
        this.compactAfter = compactAfter;
    }

    /** The app's repository, created on first use and caught up with the stored log. */
    public Repository open(App app) {
        Path dir = dir(app);
        try {
            adoptByName(app, dir);
            Repository repo = new FileRepositoryBuilder().setGitDir(dir.toFile()).setBare().build();
            if (!Files.exists(dir.resolve("HEAD"))) {
                Files.createDirectories(root);
                repo.create(true);
                repo.updateRef("HEAD").link("refs/heads/main");
            }
            catchUp(app, repo);
            return repo;
        } catch (IOException e) {
            throw new UncheckedIOException("app=" + app.name() + " cannot open the git repository at " + dir + ": "
                    + e.getMessage(), e);
        }
    }

    /** Applies, in order, the stored bundles this copy has not applied yet, and takes each one's refs. */
    public void catchUp(App app, Repository repo) throws IOException {
        ReentrantLock lock = busy.computeIfAbsent(app.id(), k -> new ReentrantLock());
        lock.lock();
        try {
            // A compaction between listing and reading removes entries: list again, from the full bundle.
            for (int attempt = 0; attempt < 3; attempt++) {
                if (applyNewer(app, repo)) {
                    return;
                }
            }
            throw new IOException("the stored log kept changing while this controller read it");
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stores the accepted ref updates as the log's next entry: a bundle of what they add to the
     * stored refs, or of everything once the log is long. Called under the app's push lock, with
     * this copy caught up, before the refs move here.
     */
    public void store(App app, Repository repo, Map<String, ObjectId> accepted) throws IOException {
        ReentrantLock lock = busy.computeIfAbsent(app.id(), k -> new ReentrantLock());
        lock.lock();
        Path file = Files.createTempFile(root, "push-", ".bundle");
        try {
            Optional<RepositoryLog.Entry> last = stored.last(app.id());
            Map<String, ObjectId> refs = new TreeMap<>(last.map(RepositoryLog.Entry::refs).orElse(Map.of()));
            refs.putAll(accepted);
            boolean full = stored.count(app.id()) >= compactAfter;
            try (OutputStream out = Files.newOutputStream(file)) {
                Bundles.write(repo, refs, full ? List.of() : refs(last), out);
            }
            long seq = stored.append(app.id(), last.map(RepositoryLog.Entry::seq).orElse(0L), refs, file, full);
            Files.writeString(dir(app).resolve(POSITION), Long.toString(seq));
            log.info("app={} stored push as bundle {} ({} bytes{})", app.name(), seq, Files.size(file),
                    full ? ", the whole history: the entries before it are gone" : "");
        } finally {
            Files.deleteIfExists(file);
            lock.unlock();
        }
    }

    /** Points this copy's refs at the stored ones: after a push, whatever happened to it here. */
    public void settle(App app, Repository repo) throws IOException {
        ReentrantLock lock = busy.computeIfAbsent(app.id(), k -> new ReentrantLock());
        lock.lock();
        try {
            Optional<RepositoryLog.Entry> last = stored.last(app.id());
            if (last.isPresent() && !last.get().refs().equals(new TreeMap<>(Bundles.refs(repo)))) {
                log.warn("app={} cached refs differ from the stored ones; taking the stored ones", app.name());
                Bundles.setRefs(repo, last.get().refs());
            }
        } finally {
            lock.unlock();
        }
    }

    /** Bytes the stored repository takes: {@code apps:info}'s repo size (0 before the first push). */
    public long storedSize(App app) {
        return stored.size(app.id());
    }

    /** Removes this controller's copy (apps:destroy); the stored log goes with the app's row. */
    public void forget(App app) {
        Path dir = dir(app);
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** False when an entry vanished between listing and reading it. */
    private boolean applyNewer(App app, Repository repo) throws IOException {
        Path position = dir(app).resolve(POSITION);
        long at = Files.exists(position) ? Long.parseLong(Files.readString(position).trim()) : 0;
        for (RepositoryLog.Entry e : stored.after(app.id(), at)) {
            boolean read = stored.read(app.id(), e.seq(), in -> Bundles.fetch(repo, in, app.id() + "/" + e.seq()));
            if (!read) {
                return false;
            }
            Bundles.setRefs(repo, e.refs()); // the next bundle's prerequisites are these refs' commits
            Files.writeString(position, Long.toString(e.seq()));
            log.debug("app={} applied stored bundle {}", app.name(), e.seq());
        }
        return true;
    }

    /**
     * A repository from before PostgreSQL held them sits under the app's name: it becomes the app's
     * copy, its refs untouched until the log has entries, so the first push stores all its history.
     */
    private void adoptByName(App app, Path dir) throws IOException {
        Path byName = root.resolve(app.name().value() + ".git");
        if (!Files.exists(dir) && Files.exists(byName.resolve("HEAD"))) {
            Files.move(byName, dir);
            log.info("app={} adopted the repository at {}", app.name(), byName);
        }
    }

    private static List<ObjectId> refs(Optional<RepositoryLog.Entry> last) {
        return last.map(e -> List.copyOf(e.refs().values())).orElse(List.of());
    }

    private Path dir(App app) {
        return root.resolve(app.id() + ".git");
    }
}
