package io.slipway.controller.git;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.BundleWriter;
import org.eclipse.jgit.transport.FetchConnection;
import org.eclipse.jgit.transport.PackLock;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.TransportBundleStream;
import org.eclipse.jgit.transport.URIish;

/** Git bundles in and out of a repository, with JGit: what {@code git bundle create} and {@code git fetch <bundle>} do. */
final class Bundles {
    private Bundles() {}

    /**
     * Writes a bundle of {@code refs} holding the objects they reach that {@code assumed} (commits the
     * reader already has) do not: with no assumed commits, everything.
     */
    static void write(Repository repo, Map<String, ObjectId> refs, Collection<ObjectId> assumed, OutputStream out)
            throws IOException {
        BundleWriter writer = new BundleWriter(repo);
        refs.forEach(writer::include);
        try (RevWalk walk = new RevWalk(repo)) {
            for (ObjectId id : assumed) {
                writer.assume(walk.parseCommit(id));
            }
        }
        writer.writeBundle(NullProgressMonitor.INSTANCE, out);
    }

    /** Adds a bundle's objects to {@code repo}; its prerequisites must be reachable from {@code repo}'s refs. */
    static void fetch(Repository repo, InputStream bundle, String name) throws IOException {
        URIish uri;
        try {
            uri = new URIish("bundle:" + name);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(name, e);
        }
        try (Transport transport = new TransportBundleStream(repo, uri, bundle);
             FetchConnection fetch = transport.openFetch()) {
            fetch.fetch(NullProgressMonitor.INSTANCE, fetch.getRefs(), Set.of());
            for (PackLock lock : fetch.getPackLocks()) {
                lock.unlock(); // the refs that keep the objects are set next
            }
        }
    }

    /** Points {@code repo}'s refs exactly at {@code refs}: moved, created, and any other branch deleted. */
    static void setRefs(Repository repo, Map<String, ObjectId> refs) throws IOException {
        Map<String, ObjectId> local = refs(repo);
        for (Map.Entry<String, ObjectId> e : refs.entrySet()) {
            if (!e.getValue().equals(local.get(e.getKey()))) {
                RefUpdate update = repo.updateRef(e.getKey());
                update.setNewObjectId(e.getValue());
                update.setForceUpdate(true);
                update.setRefLogMessage("slipway: stored", false);
                check(update.update(), update);
            }
        }
        for (String name : local.keySet()) {
            if (!refs.containsKey(name)) {
                RefUpdate update = repo.updateRef(name);
                update.setForceUpdate(true);
                check(update.delete(), update);
            }
        }
    }

    /** The repository's refs under {@code refs/} (HEAD, a symbolic ref, is not one of them). */
    static Map<String, ObjectId> refs(Repository repo) throws IOException {
        Map<String, ObjectId> out = new HashMap<>();
        for (Ref r : repo.getRefDatabase().getRefsByPrefix("refs/")) {
            if (r.getObjectId() != null) {
                out.put(r.getName(), r.getObjectId());
            }
        }
        return out;
    }

    private static void check(RefUpdate.Result result, RefUpdate update) throws IOException {
        switch (result) {
            case NEW, FORCED, FAST_FORWARD, NO_CHANGE -> { }
            default -> throw new IOException("cannot set " + update.getName() + " to the stored "
                    + (update.getNewObjectId() == null ? "deletion" : update.getNewObjectId().name()) + ": " + result);
        }
    }
}
