package io.slipway.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Where the CLI talks to, and as whom: environment, then `slipway login`, then the local platform. */
class ApiTargetTest {
    @TempDir
    Path home;

    @Test
    void theEnvironmentWinsOverASavedLoginAndTheAdminToken() throws Exception {
        adminToken("admin-secret");
        new Credentials("https://saved.example", "saved-secret").save(home);
        ApiTarget target = resolve(Map.of("SLIPWAY_API_URL", "https://env.example/", "SLIPWAY_API_TOKEN", "env-secret"));
        assertThat(target.url()).isEqualTo("https://env.example");
        assertThat(target.token()).isEqualTo("env-secret");
        assertThat(target.tokenSource()).isEqualTo("SLIPWAY_API_TOKEN");
    }

    @Test
    void aSavedLoginWinsOverTheLocalAdminToken() throws Exception {
        adminToken("admin-secret");
        new Credentials("https://saved.example", "saved-secret").save(home);
        ApiTarget target = resolve(Map.of());
        assertThat(target.url()).isEqualTo("https://saved.example");
        assertThat(target.token()).isEqualTo("saved-secret");
    }

    @Test
    void withoutEnvironmentOrLoginTheLocalPlatformAndItsAdminTokenAreUsed() throws Exception {
        adminToken("  admin-secret\n");
        ApiTarget target = resolve(Map.of());
        assertThat(target.url()).isEqualTo("http://127.0.0.1:5050");
        assertThat(target.token()).isEqualTo("admin-secret");
    }

    @Test
    void theLocalPlatformIsWhereSlipwayBindAndApiPortSay() throws Exception {
        adminToken("admin-secret");
        assertThat(resolve(Map.of("SLIPWAY_BIND", "127.0.0.2", "SLIPWAY_API_PORT", "6060")).url())
                .isEqualTo("http://127.0.0.2:6060");
        assertThat(resolve(Map.of("SLIPWAY_BIND", "0.0.0.0")).url()).isEqualTo("http://127.0.0.1:5050");
        assertThat(resolve(Map.of("SLIPWAY_BIND", "::")).url()).isEqualTo("http://[::1]:5050");
    }

    @Test
    void aTokenFromTheEnvironmentAloneGoesToTheSavedUrl() throws Exception {
        new Credentials("https://saved.example", "saved-secret").save(home);
        ApiTarget target = resolve(Map.of("SLIPWAY_API_TOKEN", "env-secret"));
        assertThat(target.url()).isEqualTo("https://saved.example");
        assertThat(target.token()).isEqualTo("env-secret");
    }

    @Test
    void aUrlFromTheEnvironmentAloneUsesTheSavedTokenOnlyIfItWasSavedForThatUrl() throws Exception {
        new Credentials("https://saved.example", "saved-secret").save(home);
        assertThat(resolve(Map.of("SLIPWAY_API_URL", "https://saved.example/")).token()).isEqualTo("saved-secret");
        assertThatThrownBy(() -> resolve(Map.of("SLIPWAY_API_URL", "https://other.example")))
                .isInstanceOf(CliException.class)
                .hasMessageContaining("no API token for https://other.example")
                .hasMessageContaining("slipway login");
    }

    @Test
    void theAdminTokenIsNeverSentToAnotherPlatform() throws Exception {
        adminToken("admin-secret");
        assertThatThrownBy(() -> resolve(Map.of("SLIPWAY_API_URL", "https://remote.example")))
                .isInstanceOf(CliException.class)
                .hasMessageContaining("no API token for https://remote.example");
    }

    @Test
    void noTokenAnywhereSaysToStartThePlatformOrLogIn() {
        assertThatThrownBy(() -> resolve(Map.of()))
                .isInstanceOf(CliException.class)
                .hasMessageContaining("./slipway up")
                .hasMessageContaining("slipway login");
    }

    @Test
    void aDamagedCredentialsFileIsAnErrorThatSaysToLogInAgain() throws Exception {
        Files.writeString(home.resolve("credentials.json"), "{not json");
        assertThatThrownBy(() -> resolve(Map.of()))
                .isInstanceOf(CliException.class)
                .hasMessageContaining("credentials.json")
                .hasMessageContaining("slipway login");
    }

    @Test
    void slipwayHomeDefaultsToDotSlipwayInHome() {
        Map<String, String> env = Map.of("HOME", "/home/someone");
        assertThat(SlipwayHome.of(context(env))).isEqualTo(Path.of("/home/someone/.slipway"));
    }

    @Test
    void theTokenNeverAppearsInToString() {
        assertThat(new ApiTarget("http://x", "s3cret", "somewhere").toString()).doesNotContain("s3cret");
        assertThat(new Credentials("http://x", "s3cret").toString()).doesNotContain("s3cret");
    }

    private void adminToken(String token) throws Exception {
        Files.writeString(home.resolve("admin-token"), token);
    }

    private ApiTarget resolve(Map<String, String> vars) {
        Map<String, String> env = new HashMap<>(vars);
        env.put("SLIPWAY_HOME", home.toString());
        return ApiTarget.resolve(context(env));
    }

    private static CliContext context(Map<String, String> env) {
        return new CliContext(env, Path.of("/"), new ByteArrayInputStream(new byte[0]),
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream()));
    }
}
