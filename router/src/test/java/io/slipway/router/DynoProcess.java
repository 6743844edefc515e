package io.slipway.router;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A {@link StandInDyno} in an operating-system process of its own, so that a test can kill it
 * with SIGKILL while requests are at it: the kernel then closes its sockets mid-request and
 * refuses new connections, exactly as it does for a dyno whose process dies.
 */
final class DynoProcess implements AutoCloseable {
    private final Process process;
    private final int port;

    private DynoProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static DynoProcess start(String name) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                DynoProcess.class.getName(), name)
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        try {
            Process p = pb.start();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine(); // "port=NNNN" once it listens
            if (line == null || !line.startsWith("port=")) {
                p.destroyForcibly();
                throw new IllegalStateException("dyno process " + name + " did not start: " + line);
            }
            Thread.ofVirtual().start(() -> out.lines().forEach(l -> { })); // keep its pipe drained
            return new DynoProcess(p, Integer.parseInt(line.substring(5).trim()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return port;
    }

    /** SIGKILL, as {@code kill -9}: no shutdown, its connections die with it. */
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

    /** The process's entry point: serve as {@code args[0]} until killed. */
    public static void main(String[] args) throws InterruptedException {
        StandInDyno dyno = new StandInDyno(args[0]);
        System.out.println("port=" + dyno.port());
        System.out.flush();
        Thread.currentThread().join();
    }
}
