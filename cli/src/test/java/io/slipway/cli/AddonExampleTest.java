package io.slipway.cli;

import io.slipway.controller.testing.ControllerProcess;
import io.slipway.controller.testing.GitPush;
import io.slipway.router.RouteDatabase;
import io.slipway.router.Router;
import io.slipway.router.RouterConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The add-ons example ({@code deploy-examples/nodejs-addons}) pushed to a real platform, its rows
 * written into a real PostgreSQL add-on and its counter into a real Redis add-on over HTTP through
 * a real router on loopback; the data survives a redeploy, {@code ps:restart} and a controller
 * killed with SIGKILL, and a backup restored after more writes brings back exactly the backup's rows.
 */
class AddonExampleTest extends AgainstPlatform {
    private static final Path EXAMPLE = Path.of("..", "deploy-examples", "nodejs-addons");
    private static Router router;

    @BeforeAll
    static void router() {
        router = Router.start(new RouterConfig("127.0.0.1", 0, "localhost",
                RouteDatabase.ofUrl(platform.env().get("DATABASE_URL")), RouterConfig.DEFAULT_TIMEOUT));
    }

    @AfterAll
    static void stopRouter() {
        if (router != null) {
            router.close();
        }
    }

    @Test
    void rowsAndACounterSurviveARedeployARestartAKilledControllerAndABackupRoundTrip() throws Exception {
        slipway.ok("apps:create", "ledger");
        GitPush checkout = GitPush.of(EXAMPLE);
        deploy(checkout);
        assertThat(call("POST", "/rows?name=apple")).isEqualTo("503 no DATABASE_URL: slipway addons:create postgres -a ledger\n");

        slipway.ok("addons:create", "postgres", "-a", "ledger");
        slipway.ok("addons:create", "redis", "-a", "ledger");
        // Each attachment cut a release; the rows and the counter answer once the dynos run with both URLs.
        await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> call("POST", "/counter").equals("200 1\n"));
        assertThat(call("POST", "/rows?name=apple")).startsWith("201 stored apple");
        assertThat(call("POST", "/rows?name=pear")).startsWith("201 stored pear");
        assertThat(call("POST", "/counter")).isEqualTo("200 2\n");

        checkout.write("README", "a change, so the push builds and releases again\n").commit("redeploy");
        deploy(checkout);
        assertThat(rows()).isEqualTo("apple\npear\n");
        assertThat(call("GET", "/counter")).isEqualTo("200 2\n");

        slipway.ok("ps:restart", "-a", "ledger");
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> rows().equals("apple\npear\n"));
        assertThat(call("POST", "/counter")).isEqualTo("200 3\n");

        killTheControllerWhileTheAppWrites();
        assertThat(rows()).isEqualTo("apple\npear\nplum\n");
        assertThat(call("GET", "/counter")).isEqualTo("200 4\n");
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> slipway.ok("addons", "-a", "ledger").out().matches(
                "(?s).*postgres-ledger-1 +postgres 15 +available.*redis-ledger-1 +redis 7 +available.*"));

        assertThat(slipway.ok("pg:backups:capture", "-a", "ledger").out()).startsWith("b001 of postgres-ledger-1 on ledger... done");
        assertThat(call("POST", "/rows?name=quince")).startsWith("201 stored quince");
        assertThat(rows()).isEqualTo("apple\npear\nplum\nquince\n");
        slipway.ok("pg:backups:restore", "b001", "-a", "ledger", "--confirm", "ledger");
        assertThat(rows()).as("the backup's rows, quince (written after it) gone").isEqualTo("apple\npear\nplum\n");
        assertThat(call("POST", "/rows?name=fig")).startsWith("201 stored fig");
        assertThat(rows()).isEqualTo("apple\npear\nplum\nfig\n");
    }

    /** The in-process controller hands over to one in its own process, which is killed with SIGKILL mid-use and started again. */
    private void killTheControllerWhileTheAppWrites() throws IOException {
        platform.stopController();
        ControllerProcess doomed = ControllerProcess.start(platform.env(), platform.home().resolve("controller-process.log"));
        try {
            assertThat(call("POST", "/rows?name=plum")).startsWith("201 stored plum");
            doomed.kill();
            assertThat(call("POST", "/counter")).as("the data plane answers while no controller runs").isEqualTo("200 4\n");
        } finally {
            doomed.close();
            platform.startController();
        }
    }

    private void deploy(GitPush checkout) {
        GitPush.Result push = checkout.push(platform.apiUrl(), "ledger", platform.adminToken());
        assertThat(push.exit()).as(push.output()).isZero();
        assertThat(push.output()).containsIgnoringCase("-----> Node.js").contains("Released v");
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> call("GET", "/").startsWith("200 Hello from ledger"));
    }

    private static String rows() {
        String answer = call("GET", "/rows");
        assertThat(answer).startsWith("200 ");
        return answer.substring(4);
    }

    /**
     * One HTTP/1.1 request to the router on loopback, for the app's host; answers "STATUS BODY".
     * By hand on a socket: the JDK's client sends a custom Host only when a system property is set
     * before it first loads, which other tests in this JVM may already have done.
     */
    private static String call(String method, String path) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), router.port())) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write((method + " " + path + " HTTP/1.1\r\nHost: ledger.localhost\r\nContent-Length: 0\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int headersEnd = response.indexOf("\r\n\r\n");
            String status = response.substring(response.indexOf(' ') + 1, response.indexOf(' ') + 4);
            return status + " " + (headersEnd < 0 ? "" : response.substring(headersEnd + 4));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
