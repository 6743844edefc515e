package io.slipway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.controller.testing.GitPush;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code builds}, {@code releases} and {@code releases:info} after real pushes to a real platform. */
class DeployCliTest extends AgainstPlatform {
    static final String TIME = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ";

    @BeforeEach
    void shop() {
        Deploys.createApp(slipway, "shop");
    }

    @Test
    void beforeAnyPushThereAreNoBuildsOrReleases() {
        assertThat(slipway.ok("builds", "-a", "shop").out()).isEqualTo("shop has no builds yet: `git push slipway main` builds it\n");
        assertThat(slipway.ok("releases", "-a", "shop").out()).isEqualTo("shop has no releases yet: `git push slipway main` makes v1\n");
        assertThat(json(slipway.ok("builds", "-a", "shop", "--json"))).isEmpty();
    }

    @Test
    void buildsListEachPushNewestFirstWithItsCommitBuildpackAndWho() {
        GitPush checkout = Deploys.checkout("one");
        String first = Deploys.push(platform, checkout, "shop");
        String second = Deploys.push(platform, checkout.write("hello.txt", "two\n").commit("second"), "shop");

        String out = slipway.ok("builds", "-a", "shop").out();
        assertThat(out.lines()).hasSize(3);
        assertThat(out.lines().toList().get(0)).isEqualTo("=== shop Builds");
        assertThat(out.lines().toList().get(1)).matches("2  succeeded  " + second.substring(0, 7) + "  \\S+  admin  " + TIME);
        assertThat(out.lines().toList().get(2)).matches("1  succeeded  " + first.substring(0, 7) + "  \\S+  admin  " + TIME);

        JsonNode builds = json(slipway.ok("builds", "-a", "shop", "--json"));
        assertThat(builds.get(0).get("number").asInt()).isEqualTo(2);
        assertThat(builds.get(0).get("commit").asText()).isEqualTo(second);
    }

    @Test
    void aFailedBuildIsListedAsFailedAndReleasesNothing() {
        GitPush.Result push = Deploys.checkout("fail").push(platform.apiUrl(), "shop", platform.adminToken());
        assertThat(push.exit()).as(push.output()).isNotZero();

        assertThat(slipway.ok("builds", "-a", "shop").out()).containsPattern("(?m)^1  failed  [0-9a-f]{7}  +admin  " + TIME + "$");
        assertThat(slipway.ok("releases", "-a", "shop").out()).startsWith("shop has no releases yet");
    }

    @Test
    void releasesListDeploysAndConfigChangesNewestFirstMarkingTheCurrentOne() {
        String commit = Deploys.push(platform, Deploys.checkout("one"), "shop");
        slipway.ok("config:set", "-a", "shop", "MODE=fast");
        awaitCurrent("shop", 2);

        String out = slipway.ok("releases", "-a", "shop").out();
        assertThat(out.lines()).hasSize(3);
        assertThat(out.lines().toList().get(0)).isEqualTo("=== shop Releases");
        assertThat(out.lines().toList().get(1)).matches("v2  Set MODE config vars  admin  " + TIME + "  \\(current\\)");
        assertThat(out.lines().toList().get(2)).matches("v1  Deploy " + commit.substring(0, 7) + "        admin  " + TIME);

        JsonNode releases = json(slipway.ok("releases", "-a", "shop", "--json"));
        assertThat(releases.get(0).get("version").asInt()).isEqualTo(2);
        assertThat(releases.get(0).get("current").asBoolean()).isTrue();
    }

    @Test
    void releasesInfoShowsTheBuildImageProcessTypesAndConfigOfThatRelease() {
        String commit = Deploys.push(platform, Deploys.checkout("one"), "shop");
        slipway.ok("config:set", "-a", "shop", "MODE=fast");
        awaitCurrent("shop", 2);

        String v1 = slipway.ok("releases:info", "-a", "shop", "v1").out();
        assertThat(v1).startsWith("=== Release v1\n")
                .contains("Change: Deploy " + commit.substring(0, 7) + "\n")
                .contains("By:     admin\n")
                .containsPattern("When:   " + TIME + "\n")
                .contains("Status: live\n")
                .contains("Build:  1\n")
                .contains("Commit: " + commit + "\n")
                .containsPattern("Image:  slipway-\\S+/shop:build-1\n")
                .contains("\n=== v1 Process Types\n")
                .contains("web:     exec python3 -m http.server \"$PORT\" --bind 0.0.0.0\n")
                .contains("worker:  sleep 3600\n")
                .contains("console: bash\n") // from the buildpack's default_process_types
                .contains("\n=== v1 Config Vars\n")
                .contains("BUILDPACK_URL: " + Deploys.buildpackUrl() + "\n")
                .contains("GREETING:      hi there\n")
                .doesNotContain("MODE");
        assertThat(slipway.ok("releases:info", "-a", "shop", "2").out())
                .startsWith("=== Release v2\n")
                .contains("Change: Set MODE config vars\n")
                .contains("Status: live (current)\n")
                .contains("MODE:          fast\n");
        assertThat(json(slipway.ok("releases:info", "-a", "shop", "v1", "--json")).get("commit").asText()).isEqualTo(commit);
    }

    @Test
    void aReleaseThatIsStillRollingOutIsMarkedPending() {
        Deploys.push(platform, Deploys.checkout("one"), "shop");
        slipway.ok("config:set", "-a", "shop", "MODE=fast");
        // v2 goes live once its web dyno accepts connections; until then v1 serves and v2 says so.
        String v2 = slipway.ok("releases", "-a", "shop").out().lines().toList().get(1);
        assertThat(v2).matches("v2  Set MODE config vars  admin  " + TIME + "  \\((booting|current)\\)");
        awaitCurrent("shop", 2);
        assertThat(slipway.ok("releases", "-a", "shop").out()).containsPattern("(?m)^v1  Deploy [0-9a-f]{7} +admin  " + TIME + "$");
    }

    @Test
    void releasesInfoOfAMissingReleaseSaysWhichAndHowToList() {
        slipway.run("releases:info", "-a", "shop", "v9").failsWith(1, "no release v9", "slipway releases");
    }

    /** Waits until release vN is the app's current one (a config change rolls the dynos over first). */
    static void awaitCurrent(String app, int version) {
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            JsonNode newest = json(slipway.ok("releases", "-a", app, "--json")).get(0);
            assertThat(newest.get("version").asInt()).isEqualTo(version);
            assertThat(newest.get("current").asBoolean()).as("v%d current", version).isTrue();
        });
    }

    @Test
    void theVerbsOfAnUnknownAppFailWithOneLine() {
        slipway.run("builds", "-a", "nosuch").failsWith(1, "nosuch");
        slipway.run("releases", "-a", "nosuch").failsWith(1, "nosuch");
        slipway.run("releases:info", "-a", "nosuch", "v1").failsWith(1, "nosuch");
    }
}
