package io.slipway.cli;

import com.sun.net.httpserver.HttpServer;
import io.slipway.controller.testing.TestPlatform;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the CLI reports what the platform says when things go wrong, against a stand-in server
 * that answers exactly the failures a real controller (or a proxy in front of it) can give.
 */
class PlatformFailuresTest {
    @TempDir
    Path home;

    private HttpServer server;
    private final Map<String, String> seen = new ConcurrentHashMap<>();
    private volatile int status = 200;
    private volatile String body = "[]";
    private volatile String contentType = "application/json";

    @BeforeEach
    void startStandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            seen.put("method", exchange.getRequestMethod());
            seen.put("path", exchange.getRequestURI().getRawPath());
            exchange.getRequestHeaders().forEach((name, values) -> seen.put(name.toLowerCase(), values.get(0)));
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.getResponseHeaders().set("X-Request-Id", "hdr-7");
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                exchange.getResponseBody().write(bytes);
            }
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopStandIn() {
        server.stop(0);
    }

    private SlipwayCli cli() {
        return SlipwayCli.withEnv(Map.of(
                "SLIPWAY_HOME", home.toString(),
                "SLIPWAY_API_URL", "http://127.0.0.1:" + server.getAddress().getPort(),
                "SLIPWAY_API_TOKEN", "tok-123"), home);
    }

    @Test
    void everyRequestCarriesTheTokenAndSaysWhatItAccepts() {
        cli().ok("apps");
        assertThat(seen).containsEntry("authorization", "Bearer tok-123")
                .containsEntry("accept", "application/json");
        assertThat(seen.get("user-agent")).startsWith("slipway-cli/");
    }

    @Test
    void appNamesAreEscapedIntoThePath() {
        body = "{}";
        cli().run("config", "-a", "../healthz?x");
        assertThat(seen.get("path")).isEqualTo("/apps/%2E%2E%2Fhealthz%3Fx/config-vars");
    }

    @Test
    void aRejectedTokenSaysWhereItCameFromAndToLogIn() {
        status = 401;
        body = "{\"id\":\"unauthorized\",\"message\":\"missing or invalid token\",\"request_id\":\"r1\"}";
        cli().run("apps").failsWith(1, "rejected the API token", "SLIPWAY_API_TOKEN", "slipway login");
    }

    @Test
    void aClientErrorShowsThePlatformsMessageAlone() {
        status = 404;
        body = "{\"id\":\"not_found\",\"message\":\"app 'nosuch' does not exist\",\"request_id\":\"r-404\"}";
        String line = cli().run("apps:info", "-a", "nosuch").failsWith(1).errorLine();
        assertThat(line).isEqualTo("slipway: app 'nosuch' does not exist");
    }

    @Test
    void aServerErrorShowsTheMessageAndTheRequestIdToFindInTheLog() {
        status = 503;
        body = "{\"id\":\"database_unavailable\",\"message\":\"the platform database is unavailable right now\","
                + "\"request_id\":\"req-42\"}";
        cli().run("apps").failsWith(1, "the platform database is unavailable right now", "req-42");
    }

    @Test
    void aResponseThatIsNotOurErrorShapeIsReportedByItsStatus() {
        status = 502;
        contentType = "text/html";
        body = "<html><body>Bad Gateway</body></html>";
        cli().run("apps").failsWith(1, "HTTP 502", "GET /apps", "request id hdr-7");
    }

    @Test
    void aServerErrorWithoutABodyStillGivesTheRequestIdFromTheHeader() {
        status = 500;
        body = "";
        cli().run("apps").failsWith(1, "HTTP 500", "request id hdr-7");
    }

    @Test
    void aSuccessThatIsNotJsonIsAnErrorNotACrash() {
        contentType = "text/html";
        body = "<html>welcome to nginx</html>";
        cli().run("apps").failsWith(1, "not JSON");
    }

    @Test
    void aPlatformThatIsNotRunningIsReportedWithHowToStartIt() {
        int closedPort = TestPlatform.freePort();
        String url = "http://127.0.0.1:" + closedPort;
        cli().with("SLIPWAY_API_URL", url).run("apps")
                .failsWith(1, "cannot reach the platform at " + url + ": is it running? (./slipway up)");
    }

    @Test
    void aMalformedApiUrlIsNamed() {
        cli().with("SLIPWAY_API_URL", "127.0.0.1:5050").run("apps").failsWith(1, "not a valid API URL: 127.0.0.1:5050");
    }

    @Test
    void debugModeAddsTheStackTrace() {
        status = 500;
        body = "{\"id\":\"internal_error\",\"message\":\"boom\",\"request_id\":\"r9\"}";
        SlipwayCli.Result r = cli().with("SLIPWAY_DEBUG", "1").run("apps");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).startsWith("slipway: boom (request id r9)\n").contains("\tat io.slipway.cli.");
    }

    @Test
    void versionReportsAPlatformThatIsDownWithoutFailing() {
        status = 503;
        body = "{\"status\":\"degraded\",\"version\":\"9.9.9\",\"database\":\"unavailable\"}";
        SlipwayCli.Result r = cli().ok("version");
        assertThat(r.out()).startsWith("slipway-cli/").contains("platform/9.9.9 at http://127.0.0.1:", "database unavailable");
        assertThat(seen).doesNotContainKey("authorization");
    }
}
