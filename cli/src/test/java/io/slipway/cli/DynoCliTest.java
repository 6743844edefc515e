package io.slipway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.controller.testing.GitPush;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ps}, {@code ps:scale}, {@code ps:restart}, {@code ps:stop} and {@code rollback} on real dynos in Docker. */
class DynoCliTest extends AgainstPlatform {
    static final String TIME = DeployCliTest.TIME;
    static final String WEB = "exec python3 -m http.server \"$PORT\" --bind 0.0.0.0";

    private GitPush checkout;

    @BeforeEach
    void shop() {
        Deploys.createApp(slipway, "shop");
        checkout = Deploys.checkout("one");
    }

    @Test
    void beforeAPushThereAreNoDynosAndNothingToScale() {
        assertThat(slipway.ok("ps", "-a", "shop").out()).isEqualTo("No dynos on shop\n");
        slipway.run("ps:scale", "-a", "shop", "web=1").failsWith(1, "no release yet");
    }

    @Test
    void afterAPushPsShowsTheWebDynoUpWithItsCommandAndRelease() {
        Deploys.push(platform, checkout, "shop");
        awaitDynos("web.1:up");
        String ps = slipway.ok("ps", "-a", "shop").out();
        assertThat(ps.lines()).hasSize(2);
        assertThat(ps.lines().toList().get(0)).isEqualTo("=== web (1): " + WEB);
        assertThat(ps.lines().toList().get(1)).matches("web\\.1: up " + TIME + " \\(~ \\d+[smhd] ago\\) v1");
        JsonNode dyno = json(slipway.ok("ps", "-a", "shop", "--json")).get(0);
        assertThat(dyno.get("name").asText()).isEqualTo("web.1");
        assertThat(dyno.get("release").asText()).isEqualTo("v1");
    }

    @Test
    void psScaleStartsTheDynosAndSaysWhatRuns() {
        Deploys.push(platform, checkout, "shop");
        assertThat(slipway.ok("ps:scale", "-a", "shop", "web=2", "worker=1").out())
                .isEqualTo("Scaling dynos... done, now running web at 2:standard, worker at 1:standard\n");
        awaitDynos("web.1:up", "web.2:up", "worker.1:up");
        String ps = slipway.ok("ps", "-a", "shop").out();
        assertThat(ps).startsWith("=== web (2): " + WEB + "\n").contains("\n\n=== worker (1): sleep 3600\n");

        assertThat(slipway.ok("ps:scale", "-a", "shop", "web=1", "worker=0").out())
                .isEqualTo("Scaling dynos... done, now running web at 1:standard, worker at 0:standard\n");
        awaitDynos("web.1:up");
    }

    @Test
    void scalesThePlatformRefusesAreOneLineWithItsReasonAndChangeNothing() {
        Deploys.push(platform, checkout, "shop");
        slipway.run("ps:scale", "-a", "shop", "web=-1").failsWith(1, "cannot scale web to -1");
        slipway.run("ps:scale", "-a", "shop", "web=2", "wrker=1").failsWith(1, "unknown process type 'wrker'");
        slipway.run("ps:scale", "-a", "shop", "web=1:huge").failsWith(1, "unknown dyno size 'huge'");
        slipway.run("ps:scale", "-a", "shop", "web=100000").failsWith(1, "cannot scale web to 100000");
        slipway.run("ps:scale", "-a", "shop", "web").failsWith(2, "TYPE=N");
        assertThat(json(slipway.ok("ps", "-a", "shop", "--json"))).hasSize(1);
    }

    @Test
    void psRestartRestartsOneDynoATypeOrAll() {
        Deploys.push(platform, checkout, "shop");
        awaitDynos("web.1:up");
        String started = startedAt("web.1");
        assertThat(slipway.ok("ps:restart", "-a", "shop", "web.1").out()).isEqualTo("Restarting web.1 dyno on shop... done: a fresh web dyno takes traffic before the old one stops\n");
        started = awaitFresh("web.1", started);
        assertThat(slipway.ok("ps:restart", "-a", "shop", "web").out()).isEqualTo("Restarting web dynos on shop... done: a fresh web dyno takes traffic before the old one stops\n");
        started = awaitFresh("web.1", started);
        assertThat(slipway.ok("ps:restart", "-a", "shop").out()).isEqualTo("Restarting dynos on shop... done: a fresh web dyno takes traffic before the old one stops\n");
        awaitFresh("web.1", started);
    }

    @Test
    void restartingOrStoppingAnUnknownDynoSaysSo() {
        Deploys.push(platform, checkout, "shop");
        slipway.run("ps:restart", "-a", "shop", "web.9").failsWith(1, "no dyno or process type web.9", "slipway ps");
        slipway.run("ps:stop", "-a", "shop", "web.9").failsWith(1, "no dyno or process type web.9");
    }

    @Test
    void psStopStopsTheDyno() {
        Deploys.push(platform, checkout, "shop");
        awaitDynos("web.1:up");
        String started = startedAt("web.1");
        assertThat(slipway.ok("ps:stop", "-a", "shop", "web.1").out()).isEqualTo("Stopping web.1 dyno on shop... done: a fresh web dyno takes traffic before the old one stops\n");
        awaitFresh("web.1", started); // as on Heroku, the formation's dyno starts afresh
    }

    @Test
    void rollbackMakesANewReleaseFromAnOldOneAndRollsTheDynosOver() {
        String first = Deploys.push(platform, checkout, "shop");
        Deploys.push(platform, checkout.write("hello.txt", "two\n").commit("second"), "shop");

        assertThat(slipway.ok("rollback", "-a", "shop", "v1").out()).isEqualTo("Rolling back shop to v1... done, v3\n");
        DeployCliTest.awaitCurrent("shop", 3);
        assertThat(slipway.ok("releases:info", "-a", "shop", "v3").out())
                .contains("Change: Rollback to v1\n").contains("Commit: " + first + "\n");
        awaitDynos("web.1:up:v3");

        assertThat(slipway.ok("rollback", "-a", "shop").out()).isEqualTo("Rolling back shop... done, v4 (Rollback to v2)\n");
        DeployCliTest.awaitCurrent("shop", 4);
    }

    @Test
    void rollbackToAReleaseThatDoesNotExistSaysSo() {
        Deploys.push(platform, checkout, "shop");
        slipway.run("rollback", "-a", "shop", "v9").failsWith(1, "v9");
        assertThat(json(slipway.ok("releases", "-a", "shop", "--json"))).hasSize(1);
    }

    /** Waits until {@code ps --json} lists exactly these dynos, as {@code name:state} or {@code name:state:release}. */
    private static String startedAt(String dyno) {
        for (JsonNode d : json(slipway.ok("ps", "-a", "shop", "--json"))) {
            if (d.get("name").asText().equals(dyno)) {
                return d.get("started_at").asText();
            }
        }
        throw new AssertionError("no " + dyno + " in ps");
    }

    /** Waits until the only {@code dyno} is up in a container started after {@code before}; returns when. */
    private static String awaitFresh(String dyno, String before) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            awaitDynos(dyno + ":up");
            assertThat(startedAt(dyno)).isNotEqualTo(before);
        });
        return startedAt(dyno);
    }

    private static void awaitDynos(String... expected) {
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            List<String> seen = new ArrayList<>();
            for (JsonNode dyno : json(slipway.ok("ps", "-a", "shop", "--json"))) {
                String entry = dyno.get("name").asText() + ":" + dyno.get("state").asText();
                boolean withRelease = List.of(expected).stream().anyMatch(e -> e.split(":").length == 3);
                seen.add(withRelease ? entry + ":" + dyno.get("release").asText() : entry);
            }
            assertThat(seen).containsExactlyInAnyOrder(expected);
        });
    }
}
