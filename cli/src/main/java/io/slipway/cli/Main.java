package io.slipway.cli;

import picocli.CommandLine;

import java.io.Console;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code slipway} command-line client. {@link #main} is the only place that touches the real
 * process (environment, working directory, streams, exit); everything else goes through
 * {@link #run(CliContext, String...)}, which tests call in-process.
 */
public final class Main {
    static final int FAILED = 1;
    static final int USAGE = 2;

    private Main() {}

    public static void main(String[] args) {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        boolean interactive = interactive();
        Optional<CliContext.Terminal> terminal = interactive ? Optional.of(Main::readSecret) : Optional.empty();
        Optional<Tty> tty = interactive ? Optional.of(new SttyTty()) : Optional.empty();
        CliContext ctx = new CliContext(System.getenv(), Path.of("").toAbsolutePath(), System.in, out, err, terminal,
                Clock.systemUTC(), tty, JvmSignals.create());
        int code = run(ctx, utf8Arguments(args));
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Runs one command line; returns its exit code: 0 done, 1 refused or failed, 2 usage error. */
    public static int run(CliContext ctx, String... args) {
        try (Invocation inv = new Invocation(ctx)) {
            try {
                return commandLine(inv).execute(args);
            } catch (RuntimeException e) {
                return report(inv, e);
            }
        }
    }

    static CommandLine commandLine(Invocation inv) {
        CommandLine cli = new CommandLine(new SlipwayCommand(inv));
        cli.addSubcommand(new AppsCommands.ListApps(inv));
        cli.addSubcommand(new AppsCommands.Create(inv));
        cli.addSubcommand(new AppsCommands.Info(inv));
        cli.addSubcommand(new AppsCommands.Destroy(inv));
        cli.addSubcommand(new ConfigCommands.Show(inv));
        cli.addSubcommand(new ConfigCommands.Set(inv));
        cli.addSubcommand(new ConfigCommands.Unset(inv));
        cli.addSubcommand(new ConfigCommands.Get(inv));
        cli.addSubcommand(new GitCommands.Remote(inv));
        cli.addSubcommand(new GitCommands.Credential(inv));
        cli.addSubcommand(new BuildCommands.ListBuilds(inv));
        cli.addSubcommand(new ReleaseCommands.ListReleases(inv));
        cli.addSubcommand(new ReleaseCommands.Info(inv));
        cli.addSubcommand(new ReleaseCommands.Rollback(inv));
        cli.addSubcommand(new PsCommands.ListDynos(inv));
        cli.addSubcommand(new PsCommands.Scale(inv));
        cli.addSubcommand(new PsCommands.Restart(inv));
        cli.addSubcommand(new PsCommands.Stop(inv));
        cli.addSubcommand(new DomainCommands.ListDomains(inv));
        cli.addSubcommand(new DomainCommands.Add(inv));
        cli.addSubcommand(new DomainCommands.Remove(inv));
        CertCommands.register(cli, inv);
        NodesCommands.register(cli, inv);
        cli.addSubcommand(new AddonCommands.ListAddons(inv));
        cli.addSubcommand(new AddonCommands.Create(inv));
        cli.addSubcommand(new AddonCommands.Info(inv));
        cli.addSubcommand(new AddonCommands.Attach(inv));
        cli.addSubcommand(new AddonCommands.Detach(inv));
        cli.addSubcommand(new AddonCommands.Destroy(inv));
        cli.addSubcommand(new PgCommands.Psql(inv));
        cli.addSubcommand(new PgCommands.Info(inv));
        cli.addSubcommand(new PgBackupCommands.ListBackups(inv));
        cli.addSubcommand(new PgBackupCommands.Capture(inv));
        cli.addSubcommand(new PgBackupCommands.Restore(inv));
        cli.addSubcommand(new PgBackupCommands.Download(inv));
        cli.addSubcommand(new PgBackupScheduleCommands.Schedule(inv));
        cli.addSubcommand(new PgBackupScheduleCommands.Schedules(inv));
        cli.addSubcommand(new PgBackupScheduleCommands.Unschedule(inv));
        cli.addSubcommand(new PgBackupCommands.Delete(inv));
        cli.addSubcommand(new RunCommand(inv));
        cli.addSubcommand(new LogsCommand(inv));
        cli.addSubcommand(new ScheduleCommands.ListSchedules(inv));
        cli.addSubcommand(new ScheduleCommands.Add(inv));
        cli.addSubcommand(new ScheduleCommands.Remove(inv));
        cli.addSubcommand(new ScheduleCommands.History(inv));
        cli.addSubcommand(new AccountCommands.Login(inv));
        cli.addSubcommand(new AccountCommands.Logout(inv));
        cli.addSubcommand(new AccountCommands.Whoami(inv));
        cli.addSubcommand(new AccountCommands.HerokuEnv(inv));
        cli.addSubcommand(new VersionCommand(inv));
        cli.addSubcommand(new CompletionCommand());
        cli.addSubcommand(new CommandLine.HelpCommand());

        // `run -a shop python x.py --verbose`: from the command's first word on, every word is the command's.
        cli.getSubcommands().get("run").setStopAtPositional(true);
        cli.getSubcommands().get("schedules:add").setStopAtPositional(true);

        cli.setOut(inv.out());
        cli.setErr(inv.err());
        // A value like "@prod" is data, not a file of more arguments.
        cli.setExpandAtFiles(false);
        cli.setParameterExceptionHandler((e, args) -> usageError(inv, e));
        cli.setExecutionExceptionHandler((e, command, parsed) -> report(inv, e));
        return cli;
    }

    /** A usage error is one line too, with the way to the verb's help. */
    private static int usageError(Invocation inv, CommandLine.ParameterException e) {
        String message = ApiClient.oneLine(e.getMessage());
        if (message.startsWith("Error: ")) {
            message = message.substring("Error: ".length());
        }
        StringBuilder line = new StringBuilder("slipway: ").append(message);
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched && !unmatched.getSuggestions().isEmpty()) {
            line.append(" (did you mean ").append(String.join(" or ", unmatched.getSuggestions())).append("?)");
        }
        line.append(" (see '").append(e.getCommandLine().getCommandSpec().qualifiedName()).append(" --help')");
        inv.err().print(line + "\n");
        debugTrace(inv, e);
        inv.err().flush();
        return USAGE;
    }

    private static int report(Invocation inv, Exception e) {
        if (e instanceof CommandLine.ParameterException usage) {
            return usageError(inv, usage);
        }
        String message = e instanceof CliException
                ? ApiClient.oneLine(e.getMessage())
                : "unexpected error: " + ApiClient.oneLine(String.valueOf(e)) + " (SLIPWAY_DEBUG=1 shows where)";
        inv.err().print("slipway: " + message + "\n");
        debugTrace(inv, e);
        inv.err().flush();
        return FAILED;
    }

    private static void debugTrace(Invocation inv, Exception e) {
        if (inv.debug()) {
            e.printStackTrace(new PrintWriter(inv.err(), true));
        }
    }

    /**
     * Whether stdin and stdout are both a terminal: then secrets are prompted for without echo and
     * {@code run} gives its dyno a TTY.
     */
    private static boolean interactive() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            // JDK 22+ always hands out a Console; isTerminal() says whether stdin and stdout are a terminal.
            Method isTerminal = Console.class.getMethod("isTerminal");
            return Boolean.TRUE.equals(isTerminal.invoke(console));
        } catch (NoSuchMethodException e) {
            return true; // JDK 21: there is a console only when stdin and stdout are a terminal.
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }

    private static char[] readSecret(String prompt) {
        return System.console().readPassword("%s", prompt);
    }

    /**
     * The JVM decodes arguments with the locale's charset; under a C/POSIX locale that turns every
     * non-ASCII byte of {@code config:set GREETING=héllo} into '?'. On Linux the raw bytes are in
     * /proc/self/cmdline, and arguments are UTF-8 in practice, so they are recovered from there
     * when (and only when) they provably are the same arguments.
     */
    static String[] utf8Arguments(String[] args) {
        Charset platform;
        try {
            platform = Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
        } catch (RuntimeException e) {
            return args;
        }
        if (platform.equals(StandardCharsets.UTF_8) || args.length == 0) {
            return args;
        }
        byte[] cmdline;
        try {
            cmdline = Files.readAllBytes(Path.of("/proc/self/cmdline"));
        } catch (IOException | RuntimeException e) {
            return args;
        }
        List<String> all = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < cmdline.length; i++) {
            if (cmdline[i] == 0) {
                all.add(new String(cmdline, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        if (all.size() < args.length) {
            return args;
        }
        String[] recovered = all.subList(all.size() - args.length, all.size()).toArray(String[]::new);
        for (int i = 0; i < args.length; i++) {
            String asJvmSawIt = new String(recovered[i].getBytes(StandardCharsets.UTF_8), platform);
            if (!asJvmSawIt.equals(args[i])) {
                return args;
            }
        }
        return recovered;
    }
}
