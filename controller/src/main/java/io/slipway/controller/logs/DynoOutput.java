package io.slipway.controller.logs;

import com.github.dockerjava.api.command.LogContainerCmd;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import io.slipway.controller.docker.Labels;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Every dyno's stdout and stderr, into its app's stream as {@code app[web.1]}: each dyno container
 * of this platform is followed through the engine's log API from the moment it appears, again after
 * each restart, and once more after it exits to take its last lines. A follow resumes where the
 * app's log says that container's output stopped (Docker's own timestamps, to the nanosecond), so a
 * restarted controller neither repeats nor loses lines.
 *
 * @param platform the label value of this platform's containers
 */
record DynoOutput(String platform) implements OutputFollows.Pass {

    /** One pass: follow what runs and is not followed, drain what exited since, forget what is gone. */
    @Override
    public void run(OutputFollows follows) {
        Set<String> live = new HashSet<>();
        for (Container c : follows.docker().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(Labels.PLATFORM, platform, Labels.ROLE, Labels.ROLE_DYNO)).exec()) {
            live.add(c.getId());
            OutputFollows.Source f = follows.source(c.getId(), () -> identify(follows, c));
            if (f == null || f.active()) {
                continue;
            }
            if ("running".equals(c.getState())) {
                follows.follow(f, null, since -> logs(follows, f, since));
            } else if ("exited".equals(c.getState()) || "dead".equals(c.getState())) {
                String run = startedAt(follows, f.id);
                if (run != null && !run.equals(f.drainedRun)) {
                    follows.follow(f, run, since -> logs(follows, f, since));
                }
            }
        }
        follows.retainOnly(live);
    }

    /** The container's log from second {@code since} on; it ends when the container is not running. */
    private static LogContainerCmd logs(OutputFollows follows, OutputFollows.Source f, Integer since) {
        return follows.docker().logContainerCmd(f.id).withStdOut(true).withStdErr(true)
                .withFollowStream(true).withTimestamps(true).withSince(since);
    }

    /** The container's app, and its dyno name from its DYNO variable. */
    private static OutputFollows.Source identify(OutputFollows follows, Container c) {
        String app = c.getLabels() == null ? null : c.getLabels().get(Labels.APP);
        if (app == null) {
            return null;
        }
        String dyno = null;
        try {
            String[] env = follows.docker().inspectContainerCmd(c.getId()).exec().getConfig().getEnv();
            for (String e : env == null ? new String[0] : env) {
                if (e.startsWith("DYNO=")) {
                    dyno = e.substring(5);
                }
            }
        } catch (NotFoundException gone) {
            return null;
        }
        return new OutputFollows.Source(c.getId(), app, dyno);
    }

    /** When the container's last run started: a run drained once is not read again. */
    private static String startedAt(OutputFollows follows, String id) {
        try {
            return follows.docker().inspectContainerCmd(id).exec().getState().getStartedAt();
        } catch (NotFoundException gone) {
            return null;
        }
    }
}
