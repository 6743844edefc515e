package io.slipway.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/**
 * {@code slipway logs}: the app's one log stream (factor XI): its dynos' output, the router's
 * request lines, build output and platform events. The lines are copied to stdout as they
 * arrive, so {@code --tail} shows each one the moment the platform has it.
 */
@Command(name = "logs", mixinStandardHelpOptions = true, versionProvider = CliVersion.class,
        description = {"Show an app's recent log lines, or follow them with --tail (Ctrl-C stops).",
                "Each line: time, source[process], text, as in 2026-11-24T13:00:00.123456+00:00 app[web.1]: listening"})
final class LogsCommand implements Callable<Integer> {
    static final int DEFAULT_LINES = 100;
    /** What {@code --source} filters on; {@code platform} (DESIGN.md's word) is {@code slipway} (the API's). */
    static final List<String> SOURCES = List.of("app", "router", "build", "slipway");
    /** {@code web}, {@code web.1}, {@code run.4}, {@code router}, {@code api}. */
    private static final Pattern PROCESS = Pattern.compile("[a-z0-9][a-z0-9_-]*(\\.[0-9]+)?");
    private static final int CHUNK = 8192;

    private final Invocation inv;

    @Mixin
    AppOption appOption;

    @Option(names = {"-t", "--tail"}, description = "Keep the stream open and show new lines as they come.")
    boolean tail;

    @Option(names = {"-n", "--num"}, paramLabel = "N", description = "How many recent lines first. Default: "
            + DEFAULT_LINES + ".")
    int lines = DEFAULT_LINES;

    @Option(names = {"--ps", "--dyno"}, paramLabel = "DYNO", description = "Only this dyno (web.1) or process type (web).")
    String process;

    @Option(names = {"--source"}, paramLabel = "SOURCE",
            description = "Only lines from app (dyno output), router, build or slipway (platform events); "
                    + "several as app,router.")
    String source;

    @Spec
    CommandSpec spec;

    LogsCommand(Invocation inv) {
        this.inv = inv;
    }

    @Override
    public Integer call() {
        String path = path(inv.app(appOption.app, spec));
        ApiClient api = inv.api();
        AtomicBoolean stopped = new AtomicBoolean();
        Thread reader = Thread.currentThread();
        try (Signals.Registration interrupt = inv.ctx().signals().on("INT", () -> {
            // Ctrl-C is how a tail ends: stop reading, and exit 0 as from any finished listing.
            stopped.set(true);
            reader.interrupt();
        })) {
            try (InputStream in = api.stream(path, tail)) {
                if (copy(in, inv.ctx().stdout(), stopped) && tail && !stopped.get()) {
                    // A tail only ends when its client goes: an end from the platform's side is news.
                    throw new CliException("the platform at " + api.baseUrl() + " ended the log stream; "
                            + "`slipway logs --tail` again to go on");
                }
            } catch (IOException e) {
                if (!stopped.get()) {
                    throw new CliException("lost the connection to the platform at " + api.baseUrl()
                            + " while reading the logs: " + ApiClient.oneLine(e.getMessage()), e);
                }
            }
        } catch (CliException e) {
            if (!stopped.get()) {
                throw e;
            }
        } finally {
            Thread.interrupted(); // a Ctrl-C at the very end must not leak into what runs next
        }
        return 0;
    }

    /**
     * Each chunk reaches stdout as it arrives; a reader gone away ({@code logs | head}) ends it.
     *
     * @return true when the stream itself ended
     */
    private static boolean copy(InputStream in, PrintStream out, AtomicBoolean stopped) throws IOException {
        byte[] buffer = new byte[CHUNK];
        int n;
        while (!stopped.get() && (n = in.read(buffer)) >= 0) {
            out.write(buffer, 0, n);
            out.flush();
            if (out.checkError()) {
                return false;
            }
        }
        return !stopped.get();
    }

    /** {@code /apps/shop/log-stream?lines=100&tail=false}, with the filters; usage errors for bad ones. */
    String path(String app) {
        if (lines < 0) {
            throw new ParameterException(spec.commandLine(), "-n must be 0 or more, got " + lines);
        }
        StringBuilder path = new StringBuilder(Invocation.appPath(app, "log-stream"))
                .append("?lines=").append(lines).append("&tail=").append(tail);
        if (process != null) {
            if (!PROCESS.matcher(process).matches()) {
                throw new ParameterException(spec.commandLine(), "--ps '" + ConfigAssignments.printable(process)
                        + "' is not a dyno (web.1) or process type (web)");
            }
            path.append("&dyno=").append(URLEncoder.encode(process, StandardCharsets.UTF_8));
        }
        if (source != null) {
            List<String> wanted = new ArrayList<>();
            for (String one : source.split(",", -1)) {
                String name = one.strip().toLowerCase(Locale.ROOT);
                name = name.equals("platform") ? "slipway" : name;
                if (!SOURCES.contains(name)) {
                    throw new ParameterException(spec.commandLine(), "--source '" + ConfigAssignments.printable(one)
                            + "' is not one of " + String.join(", ", SOURCES));
                }
                if (!wanted.contains(name)) {
                    wanted.add(name);
                }
            }
            path.append("&source=").append(String.join(",", wanted));
        }
        return path.toString();
    }
}
