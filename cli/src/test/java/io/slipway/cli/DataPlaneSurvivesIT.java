package io.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control plane may die; the data plane must not notice. A real platform from {@code ./slipway
 * up --detach} (with Docker) serves an app through its router while the controller is killed with
 * SIGKILL: no request fails, no dyno is restarted, and the restarted controller adopts them.
 */
class DataPlaneSurvivesIT {
    private static final Path SCRIPT = Path.of("..", "slipway").toAbsolutePath().normalize();
    private static final Path EXAMPLE = Path.of("..", "deploy-examples", "procfile").toAbsolutePath().normalize();

    static {
        // The router routes by Host; the JDK client sends a custom one only when allowed to.
        System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host");
    }

    @TempDir
    static Path home;
    @TempDir
    static Path app;
    static int apiPort;
    static int routerPort;
    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    static void upAndDeploy() throws Exception {
        apiPort = freePort();
        routerPort = freePort();
        assertThat(run(Duration.ofMinutes(3), SCRIPT.toString(), "up", "--detach")).isZero();
        assertThat(run(Duration.ofMinutes(1), SCRIPT.toString(), "apps:create", "survivor")).isZero();
        assertThat(run(Duration.ofMinutes(1), "cp", "-a", EXAMPLE + "/.", app.toString())).isZero();
        assertThat(run(Duration.ofMinutes(1), "git", "-C", app.toString(), "init", "-q", "-b", "main")).isZero();
        assertThat(run(Duration.ofMinutes(1), "git", "-C", app.toString(), "add", "-A")).isZero();
        assertThat(run(Duration.ofMinutes(1), "git", "-C", app.toString(), "-c", "user.email=t@example.com",
                "-c", "user.name=t", "commit", "-q", "-m", "first")).isZero();
        String token = Files.readString(home.resolve("admin-token")).trim();
        assertThat(run(Duration.ofMinutes(5), "git", "-C", app.toString(), "push", "-q",
                "http://slipway:" + token + "@127.0.0.1:" + apiPort + "/git/survivor.git", "main")).isZero();
        await().atMost(Duration.ofSeconds(30)).until(() -> status() == 200);
    }

    @AfterAll
    static void down() {
        run(Duration.ofMinutes(1), SCRIPT.toString(), "apps:destroy", "survivor", "--confirm", "survivor");
        run(Duration.ofMinutes(1), SCRIPT.toString(), "down");
        io.slipway.controller.testing.DockerCleanup.removeEverythingOfScriptPlatform(home);
    }

    @Test
    void killingTheControllerFailsNoRequestAndRestartsNoDyno() throws Exception {
        String dynoBefore = dynoContainers();
        AtomicInteger failures = new AtomicInteger();
        AtomicInteger sent = new AtomicInteger();
        Thread load = Thread.ofPlatform().start(() -> {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(12);
            while (System.nanoTime() < end) {
                sent.incrementAndGet();
                if (status() != 200) {
                    failures.incrementAndGet();
                }
                sleep(20);
            }
        });
        sleep(2000);
        long pid = Long.parseLong(Files.readString(home.resolve("run/controller.pid")).trim());
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        load.join();

        assertThat(sent.get()).isGreaterThan(100);
        assertThat(failures.get()).as("requests failed while the controller was down").isZero();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
                http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + "/healthz")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
        sleep(3000); // a few reconcile ticks of the new controller
        assertThat(dynoContainers()).as("the same dyno containers, not restarted").isEqualTo(dynoBefore);
    }

    @Test
    void aKilledRouterIsRoutingAgainWithinTwoSecondsAndNeverAnswers503WhileItLoadsRoutes() throws Exception {
        java.util.concurrent.ConcurrentHashMap<Integer, Integer> statuses = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.concurrent.atomic.AtomicLong killedAt = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicLong backAt = new java.util.concurrent.atomic.AtomicLong();
        // ./slipway makes the router's class archive in a training run once the platform is up; a
        // router killed before that (seconds after a first `up`) starts without it.
        await("the router's class archive, made by ./slipway's training run").atMost(Duration.ofSeconds(60))
                .until(() -> Files.exists(home.resolve("run/router.aot")) || Files.exists(home.resolve("run/router.jsa")));
        Thread load = Thread.ofPlatform().start(() -> {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < end) {
                boolean afterKill = killedAt.get() != 0;
                int status = status();
                statuses.merge(status, 1, Integer::sum);
                if (status == 200 && afterKill && backAt.get() == 0) {
                    backAt.set(System.nanoTime());
                }
                sleep(5);
            }
        });
        sleep(1000);
        long pid = Long.parseLong(Files.readString(home.resolve("run/router.pid")).trim());
        ProcessHandle router = ProcessHandle.of(pid).orElseThrow();
        router.destroyForcibly();
        router.onExit().get(5, TimeUnit.SECONDS);
        killedAt.set(System.nanoTime()); // from here on, a 200 comes from the restarted router
        load.join();

        assertThat(backAt.get()).as("the router answered 200 again within the load's 10 s").isNotZero();
        long downMs = TimeUnit.NANOSECONDS.toMillis(backAt.get() - killedAt.get());
        System.out.printf("router killed with SIGKILL: routing again after %d ms; answers seen: %s%n", downMs, statuses);
        assertThat(statuses).as("answers while the router restarted (-1: refused, it is down)").doesNotContainKey(503);
        assertThat(downMs).as("ms from kill -9 of the router to its first routed answer").isLessThan(2000);
    }

    private static String dynoContainers() {
        List<String> out = new ArrayList<>();
        try {
            Process p = new ProcessBuilder("docker", "ps", "-q", "--no-trunc", "--filter", "label=io.slipway.app=survivor",
                    "--filter", "label=io.slipway.role=dyno", "--format", "{{.ID}} {{.Status}}").start();
            for (String line : new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    out.add(line.split(" ")[0]);
                }
            }
            p.waitFor();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
        assertThat(out).isNotEmpty();
        return String.join(",", out.stream().sorted().toList());
    }

    private static int status() {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + routerPort + "/"))
                    .header("Host", "survivor.localhost").timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static int run(Duration timeout, String... cmd) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("it.log").toFile()));
            Map<String, String> env = pb.environment();
            env.put("SLIPWAY_HOME", home.toString());
            env.put("SLIPWAY_API_PORT", Integer.toString(apiPort));
            env.put("SLIPWAY_ROUTER_PORT", Integer.toString(routerPort));
            env.put("SLIPWAY_ROUTER_TLS_PORT", Integer.toString(freePort())); // not 8443: other runs may hold it
            env.put("SLIPWAY_BIND", "127.0.0.1");
            env.put("SLIPWAY_SKIP_BUILD", "1");
            env.remove("DATABASE_URL");
            env.remove("SLIPWAY_API_URL");
            env.remove("SLIPWAY_API_TOKEN");
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
