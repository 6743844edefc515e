package io.slipway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The platform as a person runs it: the real {@code ./slipway} script starts the built controller
 * and router (embedded PostgreSQL, no Docker), the CLI talks to it, a controller is killed, and
 * {@code down} stops it all. The tests are one lifecycle on one SLIPWAY_HOME, so they run in order.
 */
@TestMethodOrder(OrderAnnotation.class)
class PlatformScriptIT {
    private static final Path SCRIPT = Path.of("..", "slipway").toAbsolutePath().normalize();
    private static final Duration UP_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

    // Static: one SLIPWAY_HOME and one pair of ports for the whole lifecycle, not one per test.
    @TempDir
    static Path home;
    @TempDir
    static Path workDir; // not a git checkout, so the CLI infers no app from a remote

    private static int apiPort;
    private static int routerPort;

    @Test
    @Order(1)
    void upDetachedReturnsOnceControllerAndRouterAreHealthy() {
        apiPort = freePort();
        routerPort = freePort();

        Result up = slipway(UP_TIMEOUT, "up", "--detach");

        assertThat(up.exit()).as(up.describe()).isZero();
        assertThat(httpStatus(apiPort, "127.0.0.1", "/healthz")).isEqualTo(200);
        assertThat(httpStatus(routerPort, "localhost", "/healthz")).isEqualTo(200);
        assertThat(home.resolve("admin-token")).exists();
    }

    @Test
    @Order(2)
    void statusNamesControllerAndRouterAndExitsZero() {
        Result status = slipway(COMMAND_TIMEOUT, "status");

        assertThat(status.exit()).as(status.describe()).isZero();
        assertThat(status.out()).contains("controller", "router");
    }

    @Test
    @Order(3)
    void aSecondUpOnTheSameHomeIsRefused() {
        Result again = slipway(UP_TIMEOUT, "up", "--detach");

        assertThat(again.exit()).as(again.describe()).isEqualTo(1);
        assertThat(again.err()).contains("already running");
        assertThat(httpStatus(apiPort, "127.0.0.1", "/healthz")).isEqualTo(200);
    }

    @Test
    @Order(4)
    void anAppCreatedThroughTheScriptIsListed() {
        Result create = slipway(COMMAND_TIMEOUT, "apps:create", "shop");

        assertThat(create.exit()).as(create.describe()).isZero();
        assertThat(appNames()).contains("shop");
        assertThat(appsJsonNames()).contains("shop");
    }

    @Test
    @Order(5)
    void killedControllerComesBackWithNothingLost() {
        long killed = pidIn(home.resolve("run/controller.pid"));
        assertThat(isRunning(killed)).as("controller pid %d runs", killed).isTrue();

        ProcessHandle.of(killed).ifPresent(ProcessHandle::destroyForcibly); // SIGKILL

        await("a new controller answering /healthz")
                .atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    long now = pidIn(home.resolve("run/controller.pid"));
                    return now != killed && isRunning(now) && httpStatus(apiPort, "127.0.0.1", "/healthz") == 200;
                });
        assertThat(isRunning(killed)).isFalse();
        assertThat(appNames()).contains("shop");
        assertThat(appsJsonNames()).contains("shop");
    }

    @Test
    @Order(6)
    void downStopsEverythingUpStarted() {
        List<Long> parts = List.of(
                pidIn(home.resolve("run/supervisor.pid")),
                pidIn(home.resolve("run/controller.pid")),
                pidIn(home.resolve("run/router.pid")),
                pidIn(home.resolve("postgres/data/postmaster.pid")));
        assertThat(parts).allMatch(PlatformScriptIT::isRunning);

        Result down = slipway(UP_TIMEOUT, "down");

        assertThat(down.exit()).as(down.describe()).isZero();
        assertThat(parts).noneMatch(PlatformScriptIT::isRunning);
        assertThat(processesOfHome()).as("processes still running for %s", home).isEmpty();
        Result status = slipway(COMMAND_TIMEOUT, "status");
        assertThat(status.exit()).as(status.describe()).isEqualTo(3);
    }

    @Test
    @Order(7)
    void downWhenNothingRunsIsFine() {
        Result down = slipway(COMMAND_TIMEOUT, "down");

        assertThat(down.exit()).as(down.describe()).isZero();
    }

    @Test
    @Order(8)
    void upAgainAfterDownStillHasTheApp() {
        Result up = slipway(UP_TIMEOUT, "up", "--detach");

        assertThat(up.exit()).as(up.describe()).isZero();
        assertThat(appNames()).contains("shop");
    }

    @AfterAll
    static void downAndLeaveNothingBehind() {
        if (apiPort == 0) {
            return; // never started
        }
        slipway(UP_TIMEOUT, "down");
        // If down failed, do not leak a platform into the rest of the build.
        processesOfHome().forEach(ProcessHandle::destroyForcibly);
        io.slipway.controller.testing.DockerCleanup.removeEverythingOfScriptPlatform(home);
    }

    // ---- what a user sees ---------------------------------------------------------------------

    /** {@code slipway apps}: the app names, one per line, somewhere in the output. */
    private static List<String> appNames() {
        Result apps = slipway(COMMAND_TIMEOUT, "apps");
        assertThat(apps.exit()).as(apps.describe()).isZero();
        return apps.out().lines().map(String::strip).toList();
    }

    /** {@code slipway apps --json}: a JSON array of objects with a name. */
    private static List<String> appsJsonNames() {
        Result apps = slipway(COMMAND_TIMEOUT, "apps", "--json");
        assertThat(apps.exit()).as(apps.describe()).isZero();
        try {
            JsonNode array = new ObjectMapper().readTree(apps.out());
            assertThat(array.isArray()).as("apps --json is an array: %s", apps.out()).isTrue();
            List<String> names = new ArrayList<>();
            array.forEach(app -> names.add(app.path("name").asText()));
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException("apps --json printed no JSON: " + apps.describe(), e);
        }
    }

    private record Result(int exit, String out, String err, List<String> args) {
        String describe() {
            return "./slipway " + String.join(" ", args) + " exited " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** Runs ./slipway with this test's platform environment; output goes to files, never pipes a
     *  detached supervisor could hold open. */
    private static Result slipway(Duration timeout, String... args) {
        try {
            Path out = Files.createTempFile(workDir, "out", ".txt");
            Path err = Files.createTempFile(workDir, "err", ".txt");
            List<String> command = new ArrayList<>(List.of(SCRIPT.toString()));
            command.addAll(List.of(args));
            ProcessBuilder pb = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            pb.environment().putAll(platformEnv());
            for (String inherited : List.of("DATABASE_URL", "SLIPWAY_API_URL", "SLIPWAY_API_TOKEN", "SLIPWAY_DOMAIN", "JAVA_OPTS")) {
                pb.environment().remove(inherited);
            }
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("./slipway " + String.join(" ", args) + " did not finish within " + timeout
                        + "; stdout: " + Files.readString(out) + " stderr: " + Files.readString(err));
            }
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err), List.of(args));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static Map<String, String> platformEnv() {
        Map<String, String> env = new HashMap<>();
        env.put("SLIPWAY_HOME", home.toString());
        env.put("SLIPWAY_BIND", "127.0.0.1");
        env.put("SLIPWAY_API_PORT", Integer.toString(apiPort));
        env.put("SLIPWAY_ROUTER_PORT", Integer.toString(routerPort));
        env.put("SLIPWAY_ROUTER_TLS_PORT", Integer.toString(freePort())); // not 8443: other runs may hold it
        env.put("SLIPWAY_SKIP_BUILD", "1"); // failsafe runs after package: the jars are fresh
        env.put("SLIPWAY_NO_DOCKER", "1");
        return env;
    }

    // ---- processes and ports ------------------------------------------------------------------

    private static long pidIn(Path pidFile) {
        try {
            return Long.parseLong(Files.readAllLines(pidFile).getFirst().strip());
        } catch (IOException e) {
            throw new UncheckedIOException("no pid in " + pidFile, e);
        }
    }

    /** Alive and not a zombie: where PID 1 does not reap orphans, their zombies linger. */
    private static boolean isRunning(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException e) {
            return false;
        }
    }

    /** Every live process whose command line or environment names this SLIPWAY_HOME. */
    private static List<ProcessHandle> processesOfHome() {
        String marker = home.toString();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .filter(p -> mentions(p.resolve("cmdline"), marker) || mentions(p.resolve("environ"), "SLIPWAY_HOME=" + marker))
                    .map(p -> Long.parseLong(p.getFileName().toString()))
                    .filter(pid -> pid != ProcessHandle.current().pid() && isRunning(pid))
                    .flatMap(pid -> ProcessHandle.of(pid).stream())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean mentions(Path procFile, String text) {
        try {
            String content = new String(Files.readAllBytes(procFile), StandardCharsets.UTF_8).replace('\0', ' ');
            return content.contains(text + " ") || content.endsWith(text) || content.contains(text + "/");
        } catch (IOException | SecurityException e) {
            return false; // gone, or not ours to read
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A bare HTTP/1.0 GET with the given Host header (java.net.http will not set Host); 0 when nothing answers. */
    private static int httpStatus(int port, String host, String path) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.0\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            StringBuilder statusLine = new StringBuilder();
            for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
                statusLine.append((char) c);
            }
            String[] parts = statusLine.toString().split(" ");
            return parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }
}
