package io.slipway.controller.logs;

import com.github.dockerjava.api.command.LogSwarmObjectCmd;
import com.github.dockerjava.api.model.Task;
import io.slipway.controller.docker.Labels;
import io.slipway.controller.swarm.SwarmPlanner;
import io.slipway.controller.swarm.SwarmServices;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * In Swarm mode, every dyno task's stdout and stderr, into its app's stream as {@code app[web.2]}
 * (its process type and slot), whichever node it runs on: the controller talks only to the
 * manager, which serves each task's log from its node. A task is followed from the moment its
 * container exists; once it has exited, the follow ends and one last read takes what is left. Each
 * read resumes where the app's log says the task's output stopped, so a restarted controller
 * neither repeats nor loses lines.
 *
 * @param platform the label value of this platform's services
 */
record TaskOutput(String platform) implements OutputFollows.Pass {
    /** The one run a task has: Swarm restarts a dyno as a new task. */
    private static final String EXITED = "exited";

    /** One pass: follow the tasks that run, read to its end each one that exited since, forget what is gone. */
    @Override
    public void run(OutputFollows follows) {
        String[] services = follows.docker().listServicesCmd()
                .withLabelFilter(Map.of(Labels.PLATFORM, platform, Labels.ROLE, Labels.ROLE_DYNO)).exec().stream()
                .map(s -> s.getId()).toArray(String[]::new);
        Set<String> live = new HashSet<>();
        for (Task t : services.length == 0 ? List.<Task>of()
                : follows.docker().listTasksCmd().withServiceFilter(services).exec()) {
            var status = t.getStatus();
            if (status == null || status.getState() == null || status.getContainerStatus() == null
                    || status.getContainerStatus().getContainerID() == null) {
                continue; // no container yet, so no output
            }
            live.add(t.getId());
            OutputFollows.Source f = follows.source(t.getId(), () -> identify(t));
            if (f == null) {
                continue;
            }
            SwarmPlanner.Phase phase = SwarmServices.phase(status.getState());
            if (phase != SwarmPlanner.Phase.EXITED && phase != SwarmPlanner.Phase.REJECTED) {
                if (!f.active()) {
                    follows.follow(f, null, since -> logs(follows, f, since).withFollow(true));
                }
            } else if (f.following()) {
                // A task's follow outlives its container; the read below takes its last lines instead.
                follows.stop(f);
            } else if (!f.active() && !EXITED.equals(f.drainedRun)) {
                follows.follow(f, EXITED, since -> logs(follows, f, since).withFollow(false));
            }
        }
        follows.retainOnly(live);
    }

    /** The task's log from second {@code since} on, which the manager gathers from the task's node. */
    private static LogSwarmObjectCmd logs(OutputFollows follows, OutputFollows.Source f, Integer since) {
        return follows.docker().logTaskCmd(f.id).withStdout(true).withStderr(true).withTimestamps(true).withSince(since);
    }

    /** The task's app and dyno name, from the labels of its container and its slot. */
    private static OutputFollows.Source identify(Task t) {
        var spec = t.getSpec() == null ? null : t.getSpec().getContainerSpec();
        Map<String, String> labels = spec == null || spec.getLabels() == null ? Map.of() : spec.getLabels();
        String app = labels.get(Labels.APP);
        String type = labels.get(Labels.TYPE);
        if (app == null || type == null || t.getSlot() == null) {
            return null;
        }
        return new OutputFollows.Source(t.getId(), app, type + "." + t.getSlot());
    }
}
