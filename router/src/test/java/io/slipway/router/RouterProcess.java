package io.slipway.router;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The router as its own operating-system process, started the way ./slipway starts it (its main
 * class, its JVM flags, settings from the environment), so that a test can kill it with SIGKILL.
 */
final class RouterProcess implements AutoCloseable {
    /** The flags ./slipway gives the router's JVM (ROUTER_JVM_OPTS). */
    static final List<String> JVM_OPTS = List.of("-XX:+UseSerialGC", "-Xms16m", "-Xmx256m", "-XX:MaxMetaspaceSize=128m",
            "-XX:ReservedCodeCacheSize=48m", "-Xss512k", "-XX:+ExitOnOutOfMemoryError",
            "-XX:MaxInlineLevel=25", "-XX:InlineSmallCode=5000", "-XX:FreqInlineSize=600");

    private final Process process;

    private RouterProcess(Process process) {
        this.process = process;
    }

    /** Starts a router on {@code port} reading routes from {@code databaseUrl}; returns at once, before it listens. */
    static RouterProcess start(String databaseUrl, int port, Path log) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_OPTS);
        if (Runtime.version().feature() >= 24) {
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        // The router's own classes and runtime dependencies (from Maven), not the tests' much longer class path.
        String classPath = System.getProperty("router.runtime.classpath", System.getProperty("java.class.path"));
        command.addAll(List.of("-cp", classPath, Main.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().put("DATABASE_URL", databaseUrl);
        pb.environment().put("SLIPWAY_ROUTER_PORT", Integer.toString(port));
        pb.environment().put("SLIPWAY_ROUTER_TLS_PORT", "off"); // HTTPS is HttpsTest's; 8443 may be taken by another run
        pb.environment().put("SLIPWAY_BIND", "127.0.0.1");
        pb.environment().put("SLIPWAY_DOMAIN", "localhost");
        pb.environment().put("SLIPWAY_ROUTER_LOG", "stdout");
        try {
            return new RouterProcess(pb.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGKILL: no shutdown hook, no drain, exactly like {@code kill -9}. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        kill();
    }
}
