package io.slipway.cli;

import io.slipway.api.Json;
import io.slipway.api.RunRequest;
import io.slipway.api.RunView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code slipway run}: a one-off dyno from the app's current release (factor XII, admin processes). */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = CliVersion.class,
        description = {"Run a command in a one-off dyno from the app's current release, with its config: "
                + "slipway run -a shop -- python manage.py migrate.",
                "Attached (the default), the command's output is shown here and its exit code is slipway's; "
                        + "when this is a terminal the dyno gets one too (slipway run -- bash). Ctrl-C stops it.",
                "Several words are quoted for the dyno's bash as they were given; a single word is a whole "
                        + "command line: slipway run -- 'ls | wc -l'.",
                "Everything from the first word of the command on is the command's, options included."})
final class RunCommand implements Callable<Integer> {
    private final Invocation inv;

    @Mixin
    AppOption appOption;

    @Option(names = "--detached", description = "Start the dyno and return; its output goes to the app's logs.")
    boolean detached;

    @Option(names = {"-s", "--size"}, paramLabel = "SIZE", description = "The dyno size (standard, performance).")
    String size;

    @Option(names = {"-e", "--env"}, paramLabel = "KEY=VALUE",
            description = "An extra environment variable for this run only (repeatable).")
    List<String> env = new ArrayList<>();

    @Parameters(arity = "0..*", paramLabel = "CMD", description = "The command and its arguments.")
    List<String> words = new ArrayList<>();

    @Spec
    CommandSpec spec;

    RunCommand(Invocation inv) {
        this.inv = inv;
    }

    @Override
    public Integer call() {
        String command = CommandWords.join(words);
        if (command.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "no command to run: slipway run [-a APP] -- CMD...");
        }
        Map<String, String> vars;
        try {
            vars = ConfigAssignments.parse(env);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "-e " + e.getMessage());
        }
        if (size != null && size.isBlank()) {
            throw new ParameterException(spec.commandLine(), "--size needs a dyno size (standard, performance)");
        }
        String app = inv.app(appOption.app, spec);
        String shown = ApiClient.oneLine(command);
        return detached ? detached(app, command, shown, vars) : attached(app, command, shown, vars);
    }

    private int detached(String app, String command, String shown, Map<String, String> vars) {
        ApiClient api = inv.api();
        RunView run = Progress.run(inv, "Running " + shown + " on " + app,
                () -> api.convert(api.post(Invocation.appPath(app, "dynos"),
                        new RunRequest(command, false, false, null, null, vars, sizeLabel())), RunView.class),
                started -> "up, " + started.name());
        inv.out().print("Run slipway logs -a " + app + " --ps " + run.name() + " to see the output.\n");
        return 0;
    }

    private int attached(String app, String command, String shown, Map<String, String> vars) {
        AttachedRun run = new AttachedRun(inv, Invocation.appPath(app, "run"), "Running " + shown + " on " + app,
                RawMode.Hooks.RUNTIME);
        Optional<Tty.Size> terminal = run.size();
        return run.run(Json.mapper().valueToTree(new RunRequest(command, true, run.withTty(),
                terminal.map(Tty.Size::columns).orElse(null), terminal.map(Tty.Size::lines).orElse(null), vars,
                sizeLabel())));
    }

    private String sizeLabel() {
        return size == null ? null : size.strip();
    }
}
