package io.slipway.controller.build;

import static io.slipway.controller.testing.Api.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.controller.docker.DockerEngine;
import io.slipway.controller.docker.Labels;
import io.slipway.controller.testing.Api;
import io.slipway.controller.testing.GitPush;
import io.slipway.controller.testing.TestPlatform;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code git push} with the real git client to the real endpoint, building with a third-party
 * classic buildpack given through BUILDPACK_URL as a local git repository, in real containers.
 */
class GitPushDeploysTest {
    static TestPlatform platform;
    static Api api;
    static GitPush buildpack;
    static DockerEngine docker;

    @BeforeAll
    static void start() {
        platform = TestPlatform.start();
        api = Api.of(platform);
        buildpack = GitPush.of(Path.of("src/test/resources/fixtures/hello-buildpack"));
        docker = DockerEngine.connect();
    }

    @AfterAll
    static void stop() {
        platform.close();
        docker.close();
    }

    @BeforeEach
    void app() {
        assertThat(api.post("/apps", "{\"name\":\"hello\"}").status()).isEqualTo(201);
        assertThat(api.patch("/apps/hello/config-vars",
                "{\"BUILDPACK_URL\":\"file://" + buildpack.dir() + "\",\"GREETING\":\"hi there\"}").status()).isEqualTo(200);
    }

    @AfterEach
    void destroy() {
        api.delete("/apps/hello");
    }

    @Test
    void aPushBuildsWithTheBuildpackStreamsItsOutputAndReleasesV1() {
        GitPush app = GitPush.init().write("hello.txt", "hello world\n")
                .write("Procfile", "web: python3 -m http.server $PORT\nworker: echo working; sleep 600\n").commit("first");

        GitPush.Result push = app.push(platform.apiUrl(), "hello", platform.adminToken());

        assertThat(push.exit()).as(push.output()).isZero();
        assertThat(push.output())
                .contains("remote: -----> Hello app detected")
                .contains("remote:        GREETING is hi there")
                .contains("remote:        Procfile declares types     -> web, worker")
                .contains("remote: -----> Released v1")
                .contains("remote:        Starting web.1 ... up")
                .contains("http://hello.localhost:" + platform.env().get("SLIPWAY_ROUTER_PORT") + "/ deployed to Slipway");
        JsonNode release = json(api.get("/apps/hello/releases/v1"));
        assertThat(release.get("status").asText()).isEqualTo("succeeded");
        assertThat(release.get("current").asBoolean()).isTrue();
        assertThat(release.get("process_types").get("web").asText()).isEqualTo("python3 -m http.server $PORT");
        assertThat(release.get("process_types").get("console").asText()).isEqualTo("bash");
        assertThat(release.get("config").get("GREETING").asText()).isEqualTo("hi there");
        String image = release.get("image").asText();
        var labels = docker.client().inspectImageCmd(image).exec().getConfig().getLabels();
        assertThat(labels).containsEntry(Labels.APP, "hello")
                .containsEntry(Labels.COMMIT, app.git("rev-parse", "HEAD").output().strip());
        assertThat(docker.client().inspectImageCmd(image).exec().getConfig().getUser()).isEqualTo("10001:10001");
    }

    @Test
    void configSetAfterABuildCutsANewReleaseFromThatBuild() {
        GitPush app = GitPush.init().write("hello.txt", "hi\n").commit("first");
        assertThat(app.push(platform.apiUrl(), "hello", platform.adminToken()).exit()).isZero();

        api.patch("/apps/hello/config-vars", "{\"MODE\":\"fast\"}");

        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() ->
                json(api.get("/apps/hello/releases/v2")).get("status").asText().equals("succeeded"));
        JsonNode v2 = json(api.get("/apps/hello/releases/v2"));
        assertThat(v2.get("description").asText()).isEqualTo("Set MODE config vars");
        assertThat(v2.get("build_number").asInt()).isEqualTo(1);
        assertThat(v2.get("config").get("MODE").asText()).isEqualTo("fast");
        assertThat(v2.get("current").asBoolean()).isTrue();
    }

    @Test
    void theCacheSurvivesBetweenBuildsAndAForcePushDeploys() {
        GitPush app = GitPush.init().write("hello.txt", "one\n").commit("first");
        assertThat(app.push(platform.apiUrl(), "hello", platform.adminToken()).output())
                .contains("cache has seen 1 build(s)");
        GitPush rewritten = GitPush.init().write("hello.txt", "two\n").commit("unrelated history");
        GitPush.Result second = rewritten.push(platform.apiUrl(), "hello", platform.adminToken(), "+main:main");
        assertThat(second.exit()).as(second.output()).isZero();
        assertThat(second.output()).contains("cache has seen 2 build(s)").contains("Released v2");
    }

    @Test
    void aDotBuildpacksFileRunsSeveralBuildpacksInOrder() {
        api.patch("/apps/hello/config-vars", "{\"BUILDPACK_URL\":null}");
        GitPush app = GitPush.init().write("hello.txt", "hi\n")
                .write(".buildpacks", "file://" + buildpack.dir() + "\nprocfile\n")
                .write("Procfile", "web: python3 -m http.server $PORT\n").commit("two buildpacks");

        GitPush.Result push = app.push(platform.apiUrl(), "hello", platform.adminToken());

        assertThat(push.exit()).as(push.output()).isZero();
        assertThat(push.output()).contains("-----> Hello app detected").contains("-----> Procfile app detected");
        assertThat(push.output().indexOf("Hello app detected")).isLessThan(push.output().indexOf("Procfile app detected"));
        assertThat(json(api.get("/apps/hello/builds")).get(0).get("buildpack").asText()).isEqualTo("Hello+Procfile");
    }

    @Test
    void aRepoNoBuildpackDetectsFailsWithTheSupportedList() {
        api.patch("/apps/hello/config-vars", "{\"BUILDPACK_URL\":null}");
        GitPush app = GitPush.init().write("README.md", "just words\n").commit("nothing to build");

        GitPush.Result push = app.push(platform.apiUrl(), "hello", platform.adminToken());

        assertThat(push.exit()).isNotZero();
        assertThat(push.output()).contains("no buildpack supports this app. Supported: python, nodejs, java, static, procfile");
        assertThat(json(api.get("/apps/hello/releases")).size()).isZero();
    }

    @Test
    void aFailingCompileFailsThePushWithTheReasonAndReleasesNothing() {
        GitPush app = GitPush.init().write("hello.txt", "fail\n").commit("broken");

        GitPush.Result push = app.push(platform.apiUrl(), "hello", platform.adminToken());

        assertThat(push.exit()).isNotZero();
        assertThat(push.output()).contains("hello.txt asked this build to fail")
                .contains("compile step failed (exit code 3)")
                .contains("[remote rejected] main -> main (build failed)");
        assertThat(json(api.get("/apps/hello/releases")).size()).isZero();
        JsonNode build = json(api.get("/apps/hello/builds")).get(0);
        assertThat(build.get("status").asText()).isEqualTo("failed");
        assertThat(build.get("failure").asText()).contains("compile step failed");
    }

    @Test
    void aProcfileLineThatDoesNotParseIsNamedAndNothingIsReleased() {
        GitPush app = GitPush.init().write("hello.txt", "hi\n")
                .write("Procfile", "web: cat compiled.txt\nthis line has no colon\n").commit("bad procfile");

        GitPush.Result push = app.push(platform.apiUrl(), "hello", platform.adminToken());

        assertThat(push.exit()).isNotZero();
        assertThat(push.output()).contains("Procfile line 2 ('this line has no colon')");
        assertThat(json(api.get("/apps/hello/releases")).size()).isZero();
    }

    @Test
    void anInvalidProcessTypeNameIsRefused() {
        GitPush app = GitPush.init().write("hello.txt", "hi\n").write("Procfile", "Web Server!: run\n").commit("bad type");
        GitPush.Result push = app.push(platform.apiUrl(), "hello", platform.adminToken());
        assertThat(push.exit()).isNotZero();
        assertThat(push.output()).contains("Procfile line 1");
    }

    @Test
    void aSymlinkThatLeavesTheTreeIsRefusedAndNoHostFileIsRead() {
        GitPush app = GitPush.init().write("hello.txt", "hi\n").commit("first");
        // A link straight into the index: the working tree never holds it, as a crafted push would.
        app.git("update-index", "--add", "--cacheinfo", "120000", hashObject(app, "../../../../etc/passwd"), "secrets");
        app.git("-c", "user.email=dev@example.com", "-c", "user.name=Dev", "commit", "-q", "-m", "sneaky link");

        GitPush.Result push = app.push(platform.apiUrl(), "hello", platform.adminToken());

        assertThat(push.exit()).isNotZero();
        assertThat(push.output()).contains("symlink 'secrets' points outside the app");
        assertThat(push.output()).doesNotContain("root:x:0:0");
    }

    @Test
    void aBuildpackUrlThatCannotBeFetchedFailsThePush() {
        api.patch("/apps/hello/config-vars", "{\"BUILDPACK_URL\":\"file:///nonexistent/buildpack.git\"}");
        GitPush app = GitPush.init().write("hello.txt", "hi\n").commit("first");

        GitPush.Result push = app.push(platform.apiUrl(), "hello", platform.adminToken());

        assertThat(push.exit()).isNotZero();
        assertThat(push.output()).contains("BUILDPACK_URL 'file:///nonexistent/buildpack.git' could not be fetched");
    }

    @Test
    void aBranchOtherThanMainOrMasterIsRefused() {
        GitPush app = GitPush.init().write("hello.txt", "hi\n").commit("first");

        GitPush.Result push = app.push(platform.apiUrl(), "hello", platform.adminToken(), "main:feature");

        assertThat(push.exit()).isNotZero();
        assertThat(push.output()).contains("Slipway deploys only the main or master branch, not feature");
        assertThat(json(api.get("/apps/hello/builds")).size()).isZero();
    }

    @Test
    void aPushToAnUnknownAppOrWithAWrongTokenFails() {
        GitPush app = GitPush.init().write("hello.txt", "hi\n").commit("first");

        GitPush.Result unknown = app.push(platform.apiUrl(), "nosuch", platform.adminToken());
        GitPush.Result wrongToken = app.push(platform.apiUrl(), "hello", "slp_wrong");

        assertThat(unknown.exit()).isNotZero();
        assertThat(unknown.output()).containsIgnoringCase("not found");
        assertThat(wrongToken.exit()).isNotZero();
        assertThat(wrongToken.output()).containsIgnoringCase("Authentication failed");
        assertThat(json(api.get("/apps/hello/builds")).size()).isZero();
    }

    private static String hashObject(GitPush repo, String content) {
        repo.write(".tmp-link", content);
        String sha = repo.git("hash-object", "-w", ".tmp-link").output().strip();
        try {
            java.nio.file.Files.delete(repo.dir().resolve(".tmp-link"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return sha;
    }

}
