package io.slipway.controller.testing;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The controller as its own operating-system process (the same classes as the tests), so a test
 * can kill it with SIGKILL mid-work and start another one, as an operator's crash would.
 */
public final class ControllerProcess implements AutoCloseable {
    private final Process process;

    private ControllerProcess(Process process) {
        this.process = process;
    }

    public static ControllerProcess start(Map<String, String> env, Path log) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "io.slipway.controller.Main")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().putAll(env);
        try {
            ControllerProcess c = new ControllerProcess(pb.start());
            Api health = new Api("http://127.0.0.1:" + env.get("SLIPWAY_API_PORT"), null);
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                    .until(() -> health.get("/healthz").status() == 200);
            return c;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGKILL: no shutdown hook runs, exactly like {@code kill -9}. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

}
