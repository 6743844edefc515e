package io.slipway.controller.addons;

import static io.slipway.controller.testing.Api.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.controller.docker.DockerEngine;
import io.slipway.controller.docker.Labels;
import io.slipway.controller.testing.Api;
import io.slipway.controller.testing.GitPush;
import io.slipway.controller.testing.TestPlatform;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Add-ons on a real controller, real Docker and the real service images (built once per host, the
 * first time in minutes): created through the API, attached as config vars that cut releases,
 * surviving restarts with their data, and every bad input refused with what to do.
 */
class AddonsTest {
    static TestPlatform platform;
    static Api api;
    static DockerEngine docker;
    static GitPush buildpack;

    @BeforeAll
    static void start() {
        platform = TestPlatform.start(Map.of("SLIPWAY_DYNO_GRACE", "2s"));
        api = Api.of(platform);
        docker = DockerEngine.connect();
        buildpack = GitPush.of(Path.of("src/test/resources/fixtures/hello-buildpack"));
        // Every test's add-on waits for the service images: build them once, up front, with no deadline of its own.
        new ServiceImages(docker, Path.of("..", "buildpacks").toAbsolutePath().normalize())
                .ensure(Service.POSTGRES, line -> { });
        new ServiceImages(docker, Path.of("..", "buildpacks").toAbsolutePath().normalize())
                .ensure(Service.REDIS, line -> { });
    }

    @AfterAll
    static void stop() {
        String id = platform.platformId();
        platform.close();
        Networks.removeEverythingOf(docker, id);
        docker.close();
    }

    /** An app with a build (so config changes cut releases) and a web dyno. */
    static void deployedApp(String name) {
        assertThat(api.post("/apps", "{\"name\":\"" + name + "\"}").status()).isEqualTo(201);
        api.patch("/apps/" + name + "/config-vars", "{\"BUILDPACK_URL\":\"file://" + buildpack.dir() + "\"}");
        GitPush.Result push = GitPush.init().write("hello.txt", "hello\n")
                .write("Procfile", "web: python3 -m http.server $PORT\n").commit("first")
                .push(platform.apiUrl(), name, platform.adminToken());
        assertThat(push.exit()).as(push.output()).isZero();
    }

    static void app(String name) {
        assertThat(api.post("/apps", "{\"name\":\"" + name + "\"}").status()).isEqualTo(201);
    }

    /** Creates an add-on and waits until it is available; its view. */
    static JsonNode create(String app, String body) {
        Api.Response created = api.post("/apps/" + app + "/addons", body);
        assertThat(created.status()).as(created.body()).isEqualTo(202);
        assertThat(json(created).get("state").asText()).isEqualTo("creating");
        return awaitAvailable(json(created).get("name").asText());
    }

    static JsonNode awaitAvailable(String name) {
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                .until(() -> !json(api.get("/addons/" + name)).get("state").asText().equals("creating"));
        JsonNode view = json(api.get("/addons/" + name));
        assertThat(view.get("state").asText()).as(view.toString()).isEqualTo("available");
        return view;
    }

    static Map<String, String> config(String app) {
        return io.slipway.api.Json.mapper().convertValue(json(api.get("/apps/" + app + "/config-vars")),
                new com.fasterxml.jackson.core.type.TypeReference<Map<String, String>>() { });
    }

    static String container(String addon) {
        return "slipway-" + platform.platformId() + "-" + addon;
    }

    /** Runs SQL in the add-on through the engine, as pg:psql -c does; psql's unaligned output. */
    static String sql(String addon, String sql) {
        return sql(docker, container(addon), sql);
    }

    /** As {@link #sql(String, String)}, in the container named {@code container} on {@code docker}. */
    static String sql(DockerEngine docker, String container, String sql) {
        var exec = docker.client().execCreateCmd(container).withAttachStdout(true).withAttachStderr(true)
                .withCmd("psql", "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", sql).exec();
        var out = new java.io.ByteArrayOutputStream();
        try {
            docker.client().execStartCmd(exec.getId()).exec(new com.github.dockerjava.api.async.ResultCallback.Adapter<
                    com.github.dockerjava.api.model.Frame>() {
                @Override
                public void onNext(com.github.dockerjava.api.model.Frame f) {
                    out.writeBytes(f.getPayload());
                }
            }).awaitCompletion(20, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return out.toString().strip();
    }

    @Test
    void creatingPostgresSetsDatabaseUrlThroughAReleaseAndTheServerHoldsData() {
        deployedApp("shop");
        long start = System.nanoTime();
        JsonNode addon = create("shop", "{\"service\":\"postgres\"}");
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.println("FIGURE addons:create postgres until it accepts connections: " + millis + " ms");

        assertThat(addon.get("name").asText()).isEqualTo("postgres-shop-1");
        assertThat(addon.get("service").asText() + " " + addon.get("version").asText()).isEqualTo("postgres 15");
        JsonNode attachment = addon.get("attachments").get(0);
        assertThat(attachment.get("app").asText()).isEqualTo("shop");
        assertThat(attachment.get("config_var").asText()).isEqualTo("DATABASE_URL");
        assertThat(attachment.get("release").asText()).isEqualTo("v2");
        assertThat(config("shop").get("DATABASE_URL")).matches(
                "postgres://u[0-9a-f]{16}:[0-9a-f]{32}@" + container("postgres-shop-1") + ":5432/shop");
        JsonNode release = json(api.get("/apps/shop/releases/v2"));
        assertThat(release.get("description").asText()).isEqualTo("Set DATABASE_URL config vars");

        assertThat(sql("postgres-shop-1", "create table items (name text); insert into items values ('kept'); "
                + "select count(*) from items")).isEqualTo("1");
        assertThat(json(api.get("/addons/postgres-shop-1")).get("size_bytes").asLong()).isGreaterThan(1_000_000);
    }

    @Test
    void theServerIsHardenedPublishesNoPortAndSitsOnTheAppsNetwork() {
        app("hardened");
        create("hardened", "{\"service\":\"postgres\"}");
        var c = docker.client().inspectContainerCmd(container("postgres-hardened-1")).exec();
        assertThat(c.getConfig().getUser()).isEqualTo("postgres");
        assertThat(c.getHostConfig().getCapDrop()).extracting(Object::toString).containsExactly("ALL");
        assertThat(c.getHostConfig().getSecurityOpts()).containsExactly("no-new-privileges");
        assertThat(c.getHostConfig().getMemory()).isEqualTo(512L << 20);
        assertThat(c.getHostConfig().getRestartPolicy().getName()).isEqualTo("unless-stopped");
        assertThat(c.getHostConfig().getPortBindings() == null || c.getHostConfig().getPortBindings().getBindings().isEmpty()).isTrue();
        assertThat(c.getNetworkSettings().getPorts().getBindings().values()).allMatch(b -> b == null);
        assertThat(c.getNetworkSettings().getNetworks()).containsOnlyKeys("slipway-" + platform.platformId() + "-hardened");
        assertThat(c.getConfig().getLabels()).containsEntry(Labels.PLATFORM, platform.platformId())
                .containsEntry(Labels.APP, "hardened").containsEntry(Labels.ROLE, Labels.ROLE_ADDON)
                .containsEntry(Labels.ADDON, "postgres-hardened-1");
        assertThat(c.getMounts()).anyMatch(m -> container("postgres-hardened-1-data").equals(m.getName()));
    }

    @Test
    void aContainerOnTheAppsNetworkConnectsWithTheDatabaseUrl() throws Exception {
        app("reach");
        create("reach", "{\"service\":\"postgres\"}");
        String url = config("reach").get("DATABASE_URL");
        String image = docker.client().inspectContainerCmd(container("postgres-reach-1")).exec().getConfig().getImage();
        // A client container on the app's network, as a dyno will be: psql by URL, over the network, with the password.
        List<String> out = onAppNetwork("reach", image, "psql", url, "-XAtc", "select 40 + 2");
        assertThat(out).containsExactly("42");
    }

    @Test
    void theDataAndTheContainerSurviveADynoRestartAndAControllerRestart() {
        deployedApp("keep");
        create("keep", "{\"service\":\"postgres\"}");
        sql("postgres-keep-1", "create table items (name text); insert into items values ('one'), ('two')");
        String id = docker.client().inspectContainerCmd(container("postgres-keep-1")).exec().getId();

        assertThat(api.delete("/apps/keep/dynos").status()).isBetween(200, 202);
        platform.restartController();

        await().atMost(Duration.ofSeconds(20)).until(() -> json(api.get("/addons/postgres-keep-1")).get("state").asText()
                .equals("available"));
        assertThat(docker.client().inspectContainerCmd(container("postgres-keep-1")).exec().getId()).isEqualTo(id);
        assertThat(sql("postgres-keep-1", "select string_agg(name, ',' order by name) from items")).isEqualTo("one,two");
    }

    @Test
    void aStoppedServerIsStartedAgainByARestartedControllerWithItsData() {
        app("stopped");
        create("stopped", "{\"service\":\"postgres\"}");
        sql("postgres-stopped-1", "create table t (x int); insert into t values (7)");
        String id = docker.client().inspectContainerCmd(container("postgres-stopped-1")).exec().getId();
        docker.client().stopContainerCmd(id).exec();

        platform.restartController();

        awaitAvailable("postgres-stopped-1");
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> sql("postgres-stopped-1", "select x from t").equals("7"));
        assertThat(docker.client().inspectContainerCmd(container("postgres-stopped-1")).exec().getId()).isEqualTo(id);
    }

    @Test
    void redisGetsRedisUrlAndCountsForAClientOnTheAppsNetworkWithThePassword() throws Exception {
        app("cache");
        JsonNode addon = create("cache", "{\"service\":\"redis\"}");
        assertThat(addon.get("name").asText()).isEqualTo("redis-cache-1");
        assertThat(config("cache").get("REDIS_URL")).matches("redis://:[0-9a-f]{32}@" + container("redis-cache-1") + ":6379");
        var c = docker.client().inspectContainerCmd(container("redis-cache-1")).exec();
        assertThat(c.getConfig().getUser()).isEqualTo("redis");
        String url = config("cache").get("REDIS_URL");
        // As an app's client library reads the URL (redis-cli 7.0 would send an empty user name), on the run stack.
        String runStack = new io.slipway.controller.build.StackImages(docker,
                Path.of("..", "buildpacks", "stack").toAbsolutePath().normalize()).ensure(line -> { }).run();
        String client = """
                import socket, sys, urllib.parse as u
                p = u.urlparse(sys.argv[1]); s = socket.create_connection((p.hostname, p.port), 5)
                def cmd(*a):
                    s.sendall(('*%d\\r\\n' % len(a) + ''.join('$%d\\r\\n%s\\r\\n' % (len(x), x) for x in a)).encode())
                    return s.recv(200).decode().strip()
                print(cmd('AUTH', p.password or ''), cmd('INCR', 'visits'))
                """;
        assertThat(onAppNetwork("cache", runStack, "python3", "-c", client, url)).containsExactly("+OK :1");
        assertThat(onAppNetwork("cache", runStack, "python3", "-c", client, url)).containsExactly("+OK :2");
        assertThat(onAppNetwork("cache", runStack, "python3", "-c", client, url.replaceFirst(":[0-9a-f]{32}@", ":wrong@")))
                .singleElement().asString().startsWith("-WRONGPASS");
    }

    /** Runs a client container on the app's network, as a dyno of the app will be; its output lines. */
    static List<String> onAppNetwork(String app, String image, String... command) throws Exception {
        var client = docker.client().createContainerCmd(image).withEntrypoint(command)
                .withLabels(Map.of(Labels.PLATFORM, platform.platformId()))
                .withHostConfig(com.github.dockerjava.api.model.HostConfig.newHostConfig()
                        .withNetworkMode("slipway-" + platform.platformId() + "-" + app)).exec();
        docker.client().startContainerCmd(client.getId()).exec();
        docker.client().waitContainerCmd(client.getId()).start().awaitStatusCode(30, java.util.concurrent.TimeUnit.SECONDS);
        List<String> out = io.slipway.controller.dyno.DockerDynoRuntime.lastLines(docker, client.getId(), 5);
        docker.removeContainer(client.getId());
        return out;
    }

    @Test
    void aSecondPostgresAttachesUnderItsNumberAndAnExplicitNameAlreadyInTheConfigIsRefused() {
        app("two");
        create("two", "{\"service\":\"postgres\"}");
        JsonNode second = create("two", "{\"service\":\"postgres\"}");
        assertThat(second.get("name").asText()).isEqualTo("postgres-two-2");
        assertThat(second.get("attachments").get(0).get("config_var").asText()).isEqualTo("POSTGRES_2_URL");
        assertThat(config("two")).containsKeys("DATABASE_URL", "POSTGRES_2_URL");

        api.patch("/apps/two/config-vars", "{\"CACHE_URL\":\"mine\"}");
        Api.Response taken = api.post("/apps/two/addons", "{\"service\":\"redis\",\"as\":\"CACHE\"}");
        assertThat(taken.status()).isEqualTo(409);
        assertThat(json(taken).get("message").asText()).contains("CACHE_URL is already set on two")
                .contains("--as NAME").contains("slipway config:unset CACHE_URL -a two");
        assertThat(config("two").get("CACHE_URL")).isEqualTo("mine");
        assertThat(json(api.get("/apps/two/addons"))).hasSize(2);
    }

    @Test
    void unknownServicesAndVersionsAreRefusedWithWhatExists() {
        app("bad");
        Api.Response service = api.post("/apps/bad/addons", "{\"service\":\"mysql\"}");
        assertThat(service.status()).isEqualTo(422);
        assertThat(json(service).get("message").asText()).isEqualTo("unknown service 'mysql'; Slipway offers postgres (15), redis (7)");
        Api.Response version = api.post("/apps/bad/addons", "{\"service\":\"postgres\",\"version\":\"9.6\"}");
        assertThat(version.status()).isEqualTo(422);
        assertThat(json(version).get("message").asText()).isEqualTo("unknown postgres version '9.6'; available: 15");
        Api.Response as = api.post("/apps/bad/addons", "{\"service\":\"postgres\",\"as\":\"analytics db\"}");
        assertThat(as.status()).isEqualTo(422);
        assertThat(json(as).get("message").asText()).contains("is not an attachment name");
        Api.Response missing = api.get("/addons/postgres-nothing-1");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(json(api.get("/apps/bad/addons"))).isEmpty();
    }

    @Test
    void attachDetachAndDestroyAreConfigChangesAndDestroyRemovesContainerAndVolume() {
        deployedApp("main");
        deployedApp("worker");
        create("main", "{\"service\":\"postgres\"}");
        String owner = config("main").get("DATABASE_URL");

        Api.Response attached = api.post("/addons/postgres-main-1/attachments", "{\"app\":\"worker\",\"as\":\"ANALYTICS_DATABASE\"}");
        assertThat(attached.status()).as(attached.body()).isEqualTo(201);
        assertThat(config("worker").get("ANALYTICS_DATABASE_URL")).isEqualTo(owner);
        assertThat(docker.client().inspectContainerCmd(container("postgres-main-1")).exec().getNetworkSettings().getNetworks())
                .containsKey("slipway-" + platform.platformId() + "-worker");
        Api.Response again = api.post("/addons/postgres-main-1/attachments", "{\"app\":\"worker\",\"as\":\"ANALYTICS_DATABASE\"}");
        assertThat(again.status()).isEqualTo(409);
        assertThat(json(again).get("message").asText()).contains("ANALYTICS_DATABASE_URL on worker comes from postgres-main-1");

        Api.Response unconfirmed = api.delete("/addons/postgres-main-1");
        assertThat(unconfirmed.status()).isEqualTo(422);
        assertThat(json(unconfirmed).get("message").asText()).contains("confirm with --confirm main");
        Api.Response wrong = api.delete("/addons/postgres-main-1?confirm=worker");
        assertThat(wrong.status()).isEqualTo(422);
        Api.Response attachedElsewhere = api.delete("/addons/postgres-main-1?confirm=main");
        assertThat(attachedElsewhere.status()).isEqualTo(409);
        assertThat(json(attachedElsewhere).get("message").asText()).contains("attached to other apps: worker as ANALYTICS_DATABASE")
                .contains("slipway addons:detach ANALYTICS_DATABASE -a worker");

        Api.Response detached = api.delete("/apps/worker/addon-attachments/ANALYTICS_DATABASE");
        assertThat(detached.status()).as(detached.body()).isEqualTo(200);
        assertThat(json(detached).get("release").asText()).isEqualTo("v3");
        assertThat(config("worker")).doesNotContainKey("ANALYTICS_DATABASE_URL");
        assertThat(docker.client().inspectContainerCmd(container("postgres-main-1")).exec().getNetworkSettings().getNetworks())
                .doesNotContainKey("slipway-" + platform.platformId() + "-worker");
        assertThat(api.delete("/apps/worker/addon-attachments/ANALYTICS_DATABASE").status()).isEqualTo(404);

        Api.Response destroyed = api.delete("/addons/postgres-main-1?confirm=main");
        // Its last backup is taken first, in the background: the add-on goes once that is verified.
        assertThat(destroyed.status()).as(destroyed.body()).isEqualTo(202);
        assertThat(json(destroyed).get("state").asText()).isEqualTo("destroying");
        await().atMost(Duration.ofSeconds(60)).until(() -> api.get("/addons/postgres-main-1").status() == 404);
        assertThat(config("main")).doesNotContainKey("DATABASE_URL");
        assertThat(json(api.get("/apps/main/releases/v3")).get("description").asText()).isEqualTo("Unset DATABASE_URL config vars");
        assertThat(containerExists(container("postgres-main-1"))).isFalse();
        assertThat(volumeExists(container("postgres-main-1-data"))).isFalse();
        assertThat(api.get("/addons/postgres-main-1").status()).isEqualTo(404);
    }

    @Test
    void destroyingAnAppDestroysItsAddonsAndDetachesThemFromOtherApps() {
        app("gone");
        app("stays");
        create("gone", "{\"service\":\"redis\"}");
        assertThat(api.post("/addons/redis-gone-1/attachments", "{\"app\":\"stays\"}").status()).isEqualTo(201);
        assertThat(config("stays")).containsKey("REDIS_URL");

        assertThat(api.delete("/apps/gone").status()).isEqualTo(200);

        assertThat(containerExists(container("redis-gone-1"))).isFalse();
        assertThat(volumeExists(container("redis-gone-1-data"))).isFalse();
        assertThat(config("stays")).doesNotContainKey("REDIS_URL");
        assertThat(api.get("/addons/redis-gone-1").status()).isEqualTo(404);
    }

    static boolean containerExists(String name) {
        try {
            docker.client().inspectContainerCmd(name).exec();
            return true;
        } catch (com.github.dockerjava.api.exception.NotFoundException e) {
            return false;
        }
    }

    static boolean volumeExists(String name) {
        try {
            docker.client().inspectVolumeCmd(name).exec();
            return true;
        } catch (com.github.dockerjava.api.exception.NotFoundException e) {
            return false;
        }
    }
}
