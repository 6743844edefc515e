package io.slipway.controller.build;

import static io.slipway.controller.testing.Api.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import io.slipway.controller.docker.DockerEngine;
import io.slipway.controller.docker.Labels;
import io.slipway.controller.testing.Api;
import io.slipway.controller.testing.GitPush;
import io.slipway.controller.testing.TestPlatform;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How Slipway runs buildpacks, seen from {@code git push}: what happens to apps no built-in
 * buildpack builds, where process types come from, who the buildpacks run as, and how several
 * buildpacks run together, as a Heroku user expects. Real git, a real controller, real containers.
 */
class BuildpackContractTest {
    static TestPlatform platform;
    static Api api;

    @BeforeAll
    static void start() {
        platform = TestPlatform.start();
        api = Api.of(platform);
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @BeforeEach
    void app() {
        assertThat(api.post("/apps", "{\"name\":\"bp\"}").status()).isEqualTo(201);
    }

    @AfterEach
    void destroy() {
        api.delete("/apps/bp");
    }

    private static GitPush.Result push(GitPush repo) {
        return repo.push(platform.apiUrl(), "bp", platform.adminToken());
    }

    private static String fixture(String name) {
        return Path.of("src/test/resources/fixtures", name).toAbsolutePath().toString();
    }

    private static void config(String json) {
        assertThat(api.patch("/apps/bp/config-vars", json).status()).isEqualTo(200);
    }

    @Test
    void aGoAppWithAProcfileFailsTheBuildSayingWhatWasFoundAndHowToBringABuildpack() {
        GitPush app = GitPush.init().write("go.mod", "module example.com/hello\n\ngo 1.21\n")
                .write("main.go", "package main\n\nfunc main() {}\n")
                .write("Procfile", "web: bin/hello\n").commit("a Go app");

        GitPush.Result push = push(app);

        assertThat(push.exit()).as(push.output()).isNotZero();
        assertThat(push.output())
                .contains("no built-in buildpack builds this app (go.mod: a Go app)")
                .contains("the built-ins are python, nodejs, java, static, procfile")
                .contains("BUILDPACK_URL=https://github.com/heroku/heroku-buildpack-go")
                .contains(".buildpacks file")
                .doesNotContain("Released v1");
        assertThat(json(api.get("/apps/bp/releases")).size()).isZero();
        assertThat(json(api.get("/apps/bp/builds")).get(0).get("failure").asText()).contains("go.mod: a Go app");
    }

    @Test
    void aRubyAppWithoutAProcfileIsNamedTooRatherThanCalledUnsupported() {
        GitPush app = GitPush.init().write("Gemfile", "source 'https://rubygems.org'\n").commit("a Ruby app");

        GitPush.Result push = push(app);

        assertThat(push.exit()).isNotZero();
        assertThat(push.output()).contains("Gemfile: a Ruby app").contains("heroku-buildpack-ruby");
    }

    @Test
    void anAppWithOnlyAProcfileStillDeploysWithTheProcfileBuildpack() {
        GitPush app = GitPush.init().write("Procfile", "web: python3 -m http.server $PORT --bind 0.0.0.0\n").commit("procfile only");

        GitPush.Result push = push(app);

        assertThat(push.exit()).as(push.output()).isZero();
        assertThat(push.output()).contains("-----> Procfile app detected").contains("Released v1");
    }

    @Test
    void theProcfileComesFromTheBuiltAppSoASubdirectoryBuildpackCanMoveIt() {
        config("{\"APP_BASE\":\"services/api\"}");
        GitPush app = GitPush.init()
                .write("services/api/Procfile", "web: python3 -m http.server $PORT --bind 0.0.0.0\nworker: sleep 600\n")
                .write("services/api/index.txt", "the api\n")
                .write("README.md", "a monorepo\n")
                .write(".buildpacks", fixture("subdir-buildpack") + "\nprocfile\n").commit("monorepo");

        GitPush.Result push = push(app);

        assertThat(push.exit()).as(push.output()).isZero();
        assertThat(push.output()).contains("Moving services/api/ to the app's root")
                .contains("Procfile declares types     -> web, worker")
                .doesNotContain("No process types")
                .contains("Starting web.1 ... up");
        JsonNode v1 = json(api.get("/apps/bp/releases/v1"));
        assertThat(v1.get("process_types").get("web").asText()).isEqualTo("python3 -m http.server $PORT --bind 0.0.0.0");
    }

    @Test
    void everyBuildpackRunsAsTheUnprivilegedBuildUserWithHomeApp() {
        config("{\"BUILDPACK_URL\":\"" + fixture("probe-buildpack") + "\",\"GREETING\":\"ahoy\"}");
        GitPush app = GitPush.init().write("Procfile", "web: python3 -m http.server $PORT\n").commit("probe");

        GitPush.Result push = push(app);

        assertThat(push.exit()).as(push.output()).isZero();
        assertThat(push.output()).contains("running as uid 10001 gid 10001 HOME=/app")
                .contains("greeting from ENV_DIR: ahoy")
                .contains("the cache is writable")
                .contains("the app directory is writable");
    }

    @Test
    void aCacheLeftByBuildsThatRanBuildpacksAsRootIsReplacedByOneTheBuildUserOwns() throws Exception {
        // Builds before buildpacks ran unprivileged left root-owned files in the app's cache volume;
        // a build that starts as the build user could not change them, so it starts a new cache.
        String volume = "slipway-" + platform.platformId() + "-cache-bp";
        try (DockerEngine docker = DockerEngine.connect()) {
            docker.client().createVolumeCmd().withName(volume)
                    .withLabels(Map.of(Labels.PLATFORM, platform.platformId(), Labels.APP, "bp")).exec();
            String image = new StackImages(docker, Path.of("..", "buildpacks", "stack").toAbsolutePath().normalize())
                    .ensure(BuildOutput.NULL).build();
            String id = docker.client().createContainerCmd(image).withUser("0")
                    .withCmd("bash", "-c", "mkdir -p /cache/m2/org && echo old > /cache/m2/org/artifact.jar && chmod 644 /cache/m2/org/artifact.jar")
                    .withHostConfig(HostConfig.newHostConfig().withBinds(new Bind(volume, new Volume("/cache")))).exec().getId();
            try {
                docker.client().startContainerCmd(id).exec();
                assertThat(docker.client().waitContainerCmd(id).start().awaitStatusCode()).isZero();
            } finally {
                docker.removeContainer(id);
            }
        }
        config("{\"BUILDPACK_URL\":\"" + fixture("probe-buildpack") + "\"}");
        GitPush app = GitPush.init().write("Procfile", "web: python3 -m http.server $PORT\n").commit("probe");

        GitPush.Result push = push(app);

        assertThat(push.exit()).as(push.output()).isZero();
        assertThat(push.output()).contains("running as uid 10001").contains("every file in the cache is writable");
    }

    @Test
    void aLaterBuildpackFindsWhatAnEarlierOneExported() {
        GitPush app = GitPush.init().write("Procfile", "web: python3 -m http.server $PORT\n")
                .write(".buildpacks", fixture("tool-buildpack") + "\n" + fixture("probe-buildpack") + "\n").commit("two");

        GitPush.Result push = push(app);

        assertThat(push.exit()).as(push.output()).isZero();
        assertThat(push.output()).contains("-----> Tool app detected").contains("-----> Probe app detected")
                .contains("TOOL_HOME=/app/.tools")
                .contains("greet-tool says hello");
    }

    @Test
    void aListedBuildpackWhoseDetectDeclinesFailsTheBuildWithoutCompiling() {
        GitPush app = GitPush.init().write("Procfile", "web: python3 -m http.server $PORT\n")
                .write(".buildpacks", fixture("probe-buildpack") + "\npython\n").commit("python listed, no python app");

        GitPush.Result push = push(app);

        assertThat(push.exit()).isNotZero();
        assertThat(push.output()).contains("-----> Probe app detected")
                .contains("App not compatible with buildpack: python (its bin/detect declined this app)")
                .doesNotContain("Python app detected")
                .doesNotContain("virtualenv");
        assertThat(json(api.get("/apps/bp/releases")).size()).isZero();
    }

    @Test
    void aDockerfileNextToWhatABuildpackBuildsIsSaidToBeIgnored() {
        GitPush app = GitPush.init().write("Dockerfile", "FROM nginx\nCOPY . /usr/share/nginx/html\n")
                .write("index.html", "<h1>hi</h1>\n").commit("static site with a Dockerfile");

        GitPush.Result push = push(app);

        assertThat(push.exit()).as(push.output()).isZero();
        assertThat(push.output())
                .contains("Dockerfile found: Slipway does not build Dockerfiles yet; building with the Static HTML buildpack")
                .contains("Released v1");
    }

    @Test
    void anAppWithOnlyADockerfileFailsSayingDockerfileDeploysAreNotSupportedYet() {
        GitPush app = GitPush.init().write("Dockerfile", "FROM debian\nCMD [\"sleep\", \"1\"]\n").commit("only a Dockerfile");

        GitPush.Result push = push(app);

        assertThat(push.exit()).isNotZero();
        assertThat(push.output()).contains("Dockerfile deploys are not supported yet")
                .contains("set BUILDPACK_URL or a .buildpacks file");
        assertThat(json(api.get("/apps/bp/releases")).size()).isZero();
    }
}
