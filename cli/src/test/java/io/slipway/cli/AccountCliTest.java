package io.slipway.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code login}, {@code whoami}, {@code logout} and {@code version}, as from another machine and on the host. */
class AccountCliTest extends AgainstPlatform {
    @TempDir
    Path elsewhere;

    /** A CLI on another machine: its own SLIPWAY_HOME, no admin token, nothing in the environment. */
    private SlipwayCli remote;

    @BeforeEach
    void anotherMachine() {
        remote = SlipwayCli.withEnv(Map.of("SLIPWAY_HOME", elsewhere.resolve(".slipway").toString()), elsewhere);
    }

    @Test
    void herokuEnvPrintsTheExportsThatPointTheHerokuCliHere() throws Exception {
        remote.typing(platform.adminToken() + "\n").ok("login", "--api-url", platform.apiUrl());
        // Without a platform certificate yet (HerokuEnvCliTest has one): no trust lines.
        assertThat(remote.ok("heroku:env").out()).startsWith("export HEROKU_HOST='" + platform.apiUrl() + "'\n"
                + "export HEROKU_API_KEY='" + platform.adminToken() + "'\n")
                .contains("export HEROKU_GIT_HOST='localhost:" + platform.env().get("SLIPWAY_API_TLS_PORT") + "'\n")
                .contains("# the platform has no certificate yet").doesNotContain("NODE_EXTRA_CA_CERTS");
    }

    @Test
    void loginWithAGoodTokenSavesItAndLaterCommandsUseIt() throws Exception {
        SlipwayCli.Result r = remote.typing(platform.adminToken() + "\n").ok("login", "--api-url", platform.apiUrl());
        assertThat(r.out()).isEqualTo("Logged in as admin at " + platform.apiUrl() + "\n");

        Path saved = elsewhere.resolve(".slipway/credentials.json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(saved))).isEqualTo("rw-------");
        assertThat(Files.readString(saved)).contains(platform.apiUrl(), platform.adminToken());

        assertThat(remote.ok("whoami").out()).isEqualTo("admin at " + platform.apiUrl() + "\n");
        remote.ok("apps:create", "shop");
        assertThat(appNames()).containsExactly("shop");
    }

    @Test
    void loginWithAWrongTokenFailsAndSavesNothing() {
        remote.typing("not-the-token\n").run("login", "--api-url", platform.apiUrl())
                .failsWith(1, "rejected that token", "nothing was saved");
        assertThat(elsewhere.resolve(".slipway/credentials.json")).doesNotExist();
    }

    @Test
    void aWrongLoginKeepsTheEarlierGoodOne() {
        remote.typing(platform.adminToken() + "\n").ok("login", "--api-url", platform.apiUrl());
        remote.typing("not-the-token\n").run("login", "--api-url", platform.apiUrl()).failsWith(1, "rejected");
        assertThat(remote.ok("whoami").out()).startsWith("admin at ");
    }

    @Test
    void loginWithNoTokenOnStandardInputSaysSo() {
        remote.typing("").run("login", "--api-url", platform.apiUrl()).failsWith(1, "no token given");
        assertThat(elsewhere.resolve(".slipway/credentials.json")).doesNotExist();
    }

    @Test
    void loginToAPlatformThatIsNotRunningSaysHowToStartIt() {
        String url = "http://127.0.0.1:" + io.slipway.controller.testing.TestPlatform.freePort();
        remote.typing("whatever\n").run("login", "--api-url", url).failsWith(1, "cannot reach the platform at " + url);
        assertThat(elsewhere.resolve(".slipway/credentials.json")).doesNotExist();
    }

    @Test
    void logoutForgetsTheTokenSoCommandsNoLongerHaveOne() {
        remote.typing(platform.adminToken() + "\n").ok("login", "--api-url", platform.apiUrl());
        assertThat(remote.ok("logout").out()).startsWith("Logged out");
        assertThat(elsewhere.resolve(".slipway/credentials.json")).doesNotExist();
        remote.run("whoami").failsWith(1, "no API token");
    }

    @Test
    void onThePlatformsHostWhoamiNeedsNoLogin() {
        assertThat(slipway.ok("whoami").out()).isEqualTo("admin at " + platform.apiUrl() + "\n");
    }

    @Test
    void aWrongTokenInTheEnvironmentIsRejectedWithWhereItCameFrom() {
        slipway.with("SLIPWAY_API_TOKEN", "wrong").run("whoami")
                .failsWith(1, "rejected the API token from SLIPWAY_API_TOKEN", "slipway login");
    }

    @Test
    void theEnvironmentPointsTheCliAtAPlatformWithoutLogin() {
        SlipwayCli.Result r = remote.with("SLIPWAY_API_URL", platform.apiUrl())
                .with("SLIPWAY_API_TOKEN", platform.adminToken()).ok("whoami");
        assertThat(r.out()).isEqualTo("admin at " + platform.apiUrl() + "\n");
    }

    @Test
    void versionShowsTheCliAndTheRunningPlatform() {
        SlipwayCli.Result r = slipway.ok("version");
        assertThat(r.out().lines()).hasSize(2);
        assertThat(r.out()).startsWith("slipway-cli/")
                .containsPattern("\nplatform/\\S+ at " + java.util.regex.Pattern.quote(platform.apiUrl()) + "\n");
    }
}
