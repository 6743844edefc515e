package io.slipway.controller.git;

import io.slipway.controller.app.App;
import io.slipway.controller.build.BuildOutput;
import java.io.IOException;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One push's turn at its app's repository, whichever controller it reached: it waits for the
 * app's {@link PushLocks push lock}, catches this controller's copy up with what pushes elsewhere
 * stored, and turns away the commands those pushes made stale, as git does a non-fast-forward.
 * What the push's deploy accepts is stored before the refs move; the turn ends with the push.
 */
final class PushTurn implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PushTurn.class);

    private final PushLocks locks;
    private final RepositoryCache repos;
    private final App app;
    private final Repository repo;
    private PushLocks.Held held;

    PushTurn(PushLocks locks, RepositoryCache repos, App app, Repository repo) {
        this.locks = locks;
        this.repos = repos;
        this.app = app;
        this.repo = repo;
    }

    /**
     * Takes the turn (saying what it waits for after a quiet while) and rejects the commands whose
     * old value is no longer the stored one. False when the turn did not come: every command is rejected.
     */
    boolean begin(Collection<ReceiveCommand> commands, BuildOutput out) {
        try {
            held = locks.take(app.id(), () -> out.line("Waiting for another push to " + app.name() + " to finish ..."));
            repos.catchUp(app, repo);
            for (ReceiveCommand cmd : commands) {
                rejectIfStale(cmd, out);
            }
            return true;
        } catch (PushLocks.BusyException e) {
            rejectAll(commands, out, e.getMessage());
        } catch (SQLException | IOException | RuntimeException e) {
            log.error("app={} push could not take its turn at the stored repository", app.name(), e);
            rejectAll(commands, out, "the platform could not read the stored repository: " + e.getMessage());
        }
        return false;
    }

    /** Stores the commands still to be carried out; when that fails they are rejected and nothing moves. */
    void store(Collection<ReceiveCommand> commands, BuildOutput out) {
        Map<String, ObjectId> accepted = new HashMap<>();
        for (ReceiveCommand cmd : commands) {
            if (cmd.getResult() == ReceiveCommand.Result.NOT_ATTEMPTED) {
                accepted.put(cmd.getRefName(), cmd.getNewId());
            }
        }
        if (accepted.isEmpty()) {
            return;
        }
        try {
            repos.store(app, repo, accepted);
        } catch (IOException | RuntimeException e) {
            log.error("app={} push not stored", app.name(), e);
            for (ReceiveCommand cmd : commands) {
                if (cmd.getResult() == ReceiveCommand.Result.NOT_ATTEMPTED) {
                    out.line(" !     The platform could not store " + cmd.getRefName() + ": " + e.getMessage());
                    cmd.setResult(ReceiveCommand.Result.REJECTED_OTHER_REASON, "not stored");
                }
            }
        }
    }

    /** Ends the turn: this copy's refs are the stored ones again, and the next push may go. */
    @Override
    public void close() {
        if (held == null) {
            return;
        }
        try {
            repos.settle(app, repo);
        } catch (IOException | RuntimeException e) {
            log.warn("app={} cached refs not settled after the push: {}", app.name(), e.getMessage());
        } finally {
            held.close();
            held = null;
        }
    }

    private void rejectIfStale(ReceiveCommand cmd, BuildOutput out) throws IOException {
        if (cmd.getResult() != ReceiveCommand.Result.NOT_ATTEMPTED) {
            return;
        }
        Ref ref = repo.exactRef(cmd.getRefName());
        ObjectId now = ref == null || ref.getObjectId() == null ? ObjectId.zeroId() : ref.getObjectId();
        if (now.equals(cmd.getOldId())) {
            return;
        }
        String branch = cmd.getRefName().replaceFirst("^refs/heads/", "");
        out.line(" !     Another push to " + app.name() + " moved " + branch + " to " + now.abbreviate(7).name()
                + " while this one waited; merge or rebase onto it and push again");
        if (contains(cmd.getNewId(), now)) {
            cmd.setResult(ReceiveCommand.Result.REJECTED_OTHER_REASON, "stale info: " + branch + " moved; push again");
        } else {
            cmd.setResult(ReceiveCommand.Result.REJECTED_NONFASTFORWARD);
        }
    }

    /** True when {@code tip} already contains {@code commit} (a fast-forward from it, or it). */
    private boolean contains(ObjectId tip, ObjectId commit) throws IOException {
        if (commit.equals(ObjectId.zeroId())) {
            return true;
        }
        try (RevWalk walk = new RevWalk(repo)) {
            return walk.isMergedInto(walk.parseCommit(commit), walk.parseCommit(tip));
        }
    }

    private static void rejectAll(Collection<ReceiveCommand> commands, BuildOutput out, String why) {
        out.line(" !     " + why);
        for (ReceiveCommand cmd : commands) {
            if (cmd.getResult() == ReceiveCommand.Result.NOT_ATTEMPTED) {
                cmd.setResult(ReceiveCommand.Result.REJECTED_OTHER_REASON, why);
            }
        }
    }
}
