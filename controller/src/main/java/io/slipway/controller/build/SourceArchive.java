package io.slipway.controller.build;

import io.slipway.controller.http.ApiException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.eclipse.jgit.ignore.FastIgnoreRule;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * A pushed commit's tree, read straight from the bare repository into a tar stream: nothing is
 * checked out on the host, so no pushed path or symlink can read or write a host file.
 * Symlinks that leave the tree are refused, and {@code .slugignore} matches are dropped.
 */
public final class SourceArchive {
    private final Repository repo;
    private final ObjectId commit;

    public SourceArchive(Repository repo, ObjectId commit) {
        this.repo = repo;
        this.commit = commit;
    }

    /** A file at the tree's top level (Procfile, .buildpacks, .slugignore), if present. */
    public Optional<String> topLevelFile(String name) throws IOException {
        try (RevWalk walk = new RevWalk(repo)) {
            RevCommit c = walk.parseCommit(commit);
            try (TreeWalk tw = TreeWalk.forPath(repo, name, c.getTree())) {
                if (tw == null || !tw.getFileMode(0).equals(FileMode.REGULAR_FILE)
                        && !tw.getFileMode(0).equals(FileMode.EXECUTABLE_FILE)) {
                    return Optional.empty();
                }
                return Optional.of(new String(repo.open(tw.getObjectId(0)).getBytes(), StandardCharsets.UTF_8));
            }
        }
    }

    /**
     * Writes the tree under {@code prefix} (e.g. {@code app/}) into {@code tar}, every entry owned
     * by {@code uid}; returns the number of files. Each directory gets an entry of its own: the
     * engine would make a missing one owned by root, where the build user could not write.
     */
    public int writeTo(TarArchiveOutputStream tar, String prefix, int uid) throws IOException {
        List<FastIgnoreRule> ignore = slugignore();
        java.util.Set<String> directories = new java.util.HashSet<>();
        int files = 0;
        try (RevWalk walk = new RevWalk(repo); TreeWalk tw = new TreeWalk(repo)) {
            tw.addTree(walk.parseCommit(commit).getTree());
            tw.setRecursive(true);
            while (tw.next()) {
                String path = tw.getPathString();
                FileMode mode = tw.getFileMode(0);
                if (ignored(ignore, path) || mode.equals(FileMode.GITLINK)) {
                    continue;
                }
                ObjectLoader blob = repo.open(tw.getObjectId(0));
                for (int slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
                    String dir = prefix + path.substring(0, slash + 1);
                    if (directories.add(dir)) {
                        TarArchiveEntry e = new TarArchiveEntry(dir);
                        e.setMode(040755);
                        own(e, uid);
                        tar.putArchiveEntry(e);
                        tar.closeArchiveEntry();
                    }
                }
                if (mode.equals(FileMode.SYMLINK)) {
                    String target = new String(blob.getBytes(), StandardCharsets.UTF_8);
                    requireInside(path, target);
                    TarArchiveEntry e = new TarArchiveEntry(prefix + path, TarArchiveEntry.LF_SYMLINK);
                    e.setLinkName(target);
                    own(e, uid);
                    tar.putArchiveEntry(e);
                    tar.closeArchiveEntry();
                } else {
                    TarArchiveEntry e = new TarArchiveEntry(prefix + path);
                    e.setSize(blob.getSize());
                    e.setMode(mode.equals(FileMode.EXECUTABLE_FILE) ? 0755 : 0644);
                    own(e, uid);
                    tar.putArchiveEntry(e);
                    blob.copyTo(tar);
                    tar.closeArchiveEntry();
                }
                files++;
            }
        }
        return files;
    }

    private static void own(TarArchiveEntry e, int uid) {
        e.setIds(uid, uid);
        e.setModTime(0L);
    }

    /** A symlink may point anywhere inside the app, never out of it (absolute or through '..'). */
    static void requireInside(String path, String target) {
        if (target.startsWith("/")) {
            throw ApiException.invalid("symlink '" + path + "' points to an absolute path (" + target
                    + "); symlinks must stay inside the app");
        }
        Path base = Path.of("/app", path).getParent();
        Path resolved = base.resolve(target).normalize();
        if (!resolved.startsWith("/app")) {
            throw ApiException.invalid("symlink '" + path + "' points outside the app (" + target + ")");
        }
    }

    private List<FastIgnoreRule> slugignore() throws IOException {
        List<FastIgnoreRule> rules = new ArrayList<>();
        Optional<String> text = topLevelFile(".slugignore");
        if (text.isPresent()) {
            for (String line : text.get().split("\r?\n")) {
                String l = line.strip();
                if (!l.isEmpty() && !l.startsWith("#")) {
                    rules.add(new FastIgnoreRule(l));
                }
            }
        }
        return rules;
    }

    /** Like git: the last matching rule wins, and a match on any parent directory drops everything below it. */
    static boolean ignored(List<FastIgnoreRule> rules, String path) {
        if (rules.isEmpty()) {
            return false;
        }
        String[] parts = path.split("/");
        StringBuilder prefix = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                prefix.append('/');
            }
            prefix.append(parts[i]);
            boolean directory = i < parts.length - 1;
            Boolean result = null;
            for (FastIgnoreRule rule : rules) {
                if (rule.isMatch(prefix.toString(), directory)) {
                    result = rule.getResult();
                }
            }
            if (Boolean.TRUE.equals(result)) {
                return true;
            }
        }
        return false;
    }

    /** For callers that only need the bytes (tests). */
    public void writeTar(OutputStream out, String prefix) throws IOException {
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            writeTo(tar, prefix, 0);
        }
    }
}
