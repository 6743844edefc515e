package io.slipway.cli;

import io.slipway.controller.testing.GitPush;
import io.slipway.controller.testing.HerokuCli;
import io.slipway.controller.testing.PlatformCertificateFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code slipway heroku:env} is all the setup the unmodified Heroku CLI needs: after evaluating its
 * exports, a user with nothing else set ({@code GIT_SSL_CAINFO} neither) creates a git remote,
 * pushes, and runs a one-off dyno; the CLI sends nothing to heroku.com.
 */
class HerokuEnvCliTest extends AgainstPlatform {
    @TempDir
    Path elsewhere;

    private SlipwayCli remote;

    @BeforeEach
    void loggedInElsewhere() {
        PlatformCertificateFile.write(platform.home(), "localhost");
        remote = SlipwayCli.withEnv(Map.of("SLIPWAY_HOME", elsewhere.resolve(".slipway").toString()), elsewhere);
        remote.typing(platform.adminToken() + "\n").ok("login", "--api-url", platform.apiUrl());
    }

    @Test
    void printsEveryExportAndSavesTheCertificate() throws Exception {
        String exports = remote.ok("heroku:env").out();
        Path cert = elsewhere.resolve(".slipway/heroku/localhost.crt");
        String gitHost = "localhost:" + platform.env().get("SLIPWAY_API_TLS_PORT");
        assertThat(exports).startsWith("export HEROKU_HOST='" + platform.apiUrl() + "'\n"
                        + "export HEROKU_API_KEY='" + platform.adminToken() + "'\n")
                .contains("export HEROKU_PARTICLEBOARD_URL='" + platform.apiUrl() + "'\n")
                .contains("export DISABLE_TELEMETRY='true'\n")
                .contains("export HEROKU_GIT_HOST='" + gitHost + "'\n")
                .contains("export HEROKU_DATA_HOST='127.0.0.1'\n")
                .contains("export HEROKU_POSTGRESQL_ADDON_NAME='postgres'\n")
                .contains("export HEROKU_REDIS_ADDON_NAME='redis'\n")
                .contains("export NODE_EXTRA_CA_CERTS='" + cert + "'\n")
                .contains("export GIT_CONFIG_KEY_0='http.https://" + gitHost + "/.sslCAInfo'\n")
                .contains("# for good: git config --global 'http.https://" + gitHost + "/.sslCAInfo' '" + cert + "'\n");
        assertThat(Files.readString(cert)).isEqualTo(Files.readString(platform.home().resolve("tls/platform.crt")));
    }

    @Test
    void afterItsExportsTheHerokuCliPushesAndRunsQuicklyWithNothingElseSet() {
        Deploys.createApp(slipway, "shop");
        String exports = remote.ok("heroku:env").out();
        HerokuCli heroku = HerokuCli.of(platform);
        GitPush app = Deploys.checkout("hello from heroku");

        HerokuCli.Result push = heroku.shell(app.dir(), exports, "heroku git:remote -a shop && git push heroku main");
        assertThat(push.exit()).as(push.all()).isZero();
        assertThat(push.all()).contains("set git remote heroku to https://localhost:" + platform.env().get("SLIPWAY_API_TLS_PORT"))
                .contains("remote: -----> Released v").contains("main -> main");

        // DEBUG=http makes the CLI print every request it makes: none may leave for heroku.com (it used to ask
        // particleboard.heroku.com about /account, retrying for ~6 s with the token, before each run).
        long started = System.nanoTime();
        HerokuCli.Result run = heroku.shell(app.dir(), exports, "DEBUG=http heroku run -a shop -- echo ran-on-\\$DYNO");
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertThat(run.exit()).as(run.all()).isZero();
        assertThat(run.stdout()).containsPattern("ran-on-run\\.\\d+");
        assertThat(run.stderr()).contains("POST http://127.0.0.1/apps/shop/dynos").doesNotContain("heroku.com");

        // The data verbs reach the Data API Slipway serves on the API, not api.data.heroku.com.
        HerokuCli.Result backups = heroku.shell(app.dir(), exports, "DEBUG=http heroku pg:backups -a shop");
        assertThat(backups.exit()).as(backups.all()).isZero();
        assertThat(backups.stdout()).contains("No backups. Capture one with heroku pg:backups:capture");
        assertThat(backups.stderr()).contains("GET http://127.0.0.1/client/v11/apps/shop/transfers").doesNotContain("heroku.com");
        System.out.println("heroku run -- echo took " + millis + " ms");
        // Node's start and the dyno's take ~3 s here; the old retries added ~6 s. Generous for a loaded 2-core machine.
        assertThat(millis).as("heroku run took %d ms", millis).isLessThan(7_000);
    }
}
