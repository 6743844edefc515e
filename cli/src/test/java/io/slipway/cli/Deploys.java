package io.slipway.cli;

import io.slipway.controller.testing.GitPush;
import io.slipway.controller.testing.TestPlatform;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real deploys for the CLI's end-to-end tests: a small app built by the third-party classic
 * buildpack the controller's tests use ({@code hello-buildpack}), given through BUILDPACK_URL as a
 * local git repository. These need the Docker engine and the stack images.
 */
final class Deploys {
    /** The buildpack as a git repository, made once per test run. */
    private static GitPush buildpack;

    private Deploys() {}

    static synchronized String buildpackUrl() {
        if (buildpack == null) {
            buildpack = GitPush.of(Path.of("../controller/src/test/resources/fixtures/hello-buildpack"));
        }
        return "file://" + buildpack.dir();
    }

    /** Creates the app and points it at the hello buildpack, through the CLI. */
    static void createApp(SlipwayCli slipway, String app) {
        slipway.ok("apps:create", app);
        slipway.ok("config:set", "-a", app, "BUILDPACK_URL=" + buildpackUrl(), "GREETING=hi there");
    }

    /** A checkout the hello buildpack detects, whose web process answers on $PORT. */
    static GitPush checkout(String text) {
        return GitPush.init()
                .write("hello.txt", text + "\n")
                .write("Procfile", "web: exec python3 -m http.server \"$PORT\" --bind 0.0.0.0\nworker: sleep 3600\n")
                .commit("first");
    }

    /** Pushes with the admin token and insists it released; returns the pushed commit. */
    static String push(TestPlatform platform, GitPush checkout, String app) {
        GitPush.Result push = checkout.push(platform.apiUrl(), app, platform.adminToken());
        assertThat(push.exit()).as(push.output()).isZero();
        assertThat(push.output()).contains("Released v");
        return checkout.git("rev-parse", "HEAD").output().strip();
    }
}
