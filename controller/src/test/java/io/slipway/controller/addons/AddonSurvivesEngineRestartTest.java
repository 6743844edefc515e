package io.slipway.controller.addons;

import static io.slipway.controller.testing.Api.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.model.HostConfig;
import io.slipway.controller.build.LocalImages;
import io.slipway.controller.docker.DockerEngine;
import io.slipway.controller.docker.Labels;
import io.slipway.controller.dyno.DockerDynoRuntime;
import io.slipway.controller.testing.Api;
import io.slipway.controller.testing.SwarmNodes;
import io.slipway.controller.testing.TestPlatform;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A PostgreSQL add-on survives a restart of the Docker engine under a running controller, as
 * {@code systemctl restart docker} makes one. This machine's dockerd serves other work, so the
 * engine restarted is a nested one ({@link SwarmNodes#standalone}): a node container whose dockerd
 * stops its containers and exits, then starts again on the same {@code /var/lib/docker}. The
 * controller runs against it through DOCKER_HOST, with the service image copied in (same content,
 * same tag: nothing is built in the node).
 */
class AddonSurvivesEngineRestartTest {
    static SwarmNodes nodes;
    static DockerEngine engine;
    static TestPlatform platform;
    static Api api;

    @BeforeAll
    static void nodeAndController() {
        Path buildpacks = Path.of("..", "buildpacks").toAbsolutePath().normalize();
        try (DockerEngine host = DockerEngine.connect()) {
            String postgres = new ServiceImages(host, buildpacks).ensure(Service.POSTGRES, line -> { });
            String base = "slipway/base:bookworm-" + LocalImages.hash(buildpacks.resolve("stack").resolve("base"), "");
            nodes = SwarmNodes.standalone(1);
            nodes.loadImage(base);
            nodes.loadImage(postgres);
        }
        engine = nodes.engine(1);
        platform = TestPlatform.start(Map.of("DOCKER_HOST", engine.host().toString()));
        api = Api.of(platform);
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.close();
        }
        if (nodes != null) {
            nodes.close(); // the node's engine, and with it every container and volume the platform made there
        }
    }

    @Test
    void aPostgresAddonComesBackWithTheSameContainerAndItsRowsAfterTheEngineRestarts() {
        String container = create("keep");
        AddonsTest.sql(engine, container, "create table items (name text); insert into items values ('one'), ('two')");
        String id = engine.client().inspectContainerCmd(container).exec().getId();

        long stopping = System.nanoTime();
        nodes.stopEngine(1);
        long stopped = System.nanoTime();
        // Its engine away, the controller still answers, and says the add-on is down and why.
        Api.Response away = api.get("/apps/keep/addons");
        assertThat(away.status()).as(away.body()).isEqualTo(200);
        JsonNode awayView = json(away).get(0);
        assertThat(awayView.get("state").asText()).isEqualTo("down");
        assertThat(awayView.get("message").asText()).contains("the Docker engine at " + engine.host() + " does not answer");
        Api.Response info = api.get("/addons/postgres-keep-1");
        assertThat(info.status()).as(info.body()).isEqualTo(200);
        assertThat(json(info).get("state").asText()).isEqualTo("down");
        Api.Response pgInfo = api.get("/apps/keep/pg-info");
        assertThat(pgInfo.status()).as(pgInfo.body()).isEqualTo(200);
        assertThat(json(pgInfo).get(0).get("state").asText()).isEqualTo("down");
        sleep(Duration.ofSeconds(6)); // a look of the add-on watch (every 5 s) and many ticks of the dyno loop meet no engine

        long starting = System.nanoTime();
        nodes.startEngine(1);
        long answering = System.nanoTime();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> state("keep").equals("available"));
        long available = System.nanoTime();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> AddonsTest.sql(engine, container, "select 1").equals("1"));
        long queried = System.nanoTime();
        System.out.printf("FIGURE engine restart: stop %d ms; start until the engine answers %d ms, until the add-on "
                        + "is available %d ms, until psql answers %d ms%n", ms(stopped - stopping), ms(answering - starting),
                ms(available - starting), ms(queried - starting));

        assertThat(AddonsTest.sql(engine, container, "select string_agg(name, ',' order by name) from items")).isEqualTo("one,two");
        var servers = engine.client().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(Labels.PLATFORM, platform.platformId(), Labels.ADDON, "postgres-keep-1")).exec();
        assertThat(servers).hasSize(1);
        assertThat(servers.getFirst().getId()).as("adopted, not recreated").isEqualTo(id);
        assertThat(engine.client().inspectContainerCmd(container).exec().getMounts())
                .anyMatch(m -> (container + "-data").equals(m.getName()));
        // As the app's dynos reach it: by DATABASE_URL, over the app's network, the server's name resolved by the engine.
        assertThat(onAppNetwork("keep", "psql", config("keep").get("DATABASE_URL"), "-XAtc", "select count(*) from items"))
                .containsExactly("2");
    }

    @Test
    void aPostgresAddonComesBackWithItsCommittedRowsAfterTheEngineIsKilled() {
        String container = create("crash");
        AddonsTest.sql(engine, container, "create table items (name text); insert into items values ('committed')");
        String id = engine.client().inspectContainerCmd(container).exec().getId();

        nodes.kill(1); // dockerd and every process under it at once, as a crash or a power cut: nothing shut down cleanly
        long starting = System.nanoTime();
        nodes.startEngine(1);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> state("crash").equals("available"));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> AddonsTest.sql(engine, container, "select 1").equals("1"));
        System.out.printf("FIGURE engine killed: start until psql answers %d ms%n", ms(System.nanoTime() - starting));

        assertThat(AddonsTest.sql(engine, container, "select name from items")).isEqualTo("committed");
        assertThat(engine.client().inspectContainerCmd(container).exec().getId()).isEqualTo(id);
    }

    @Test
    void theControllerThatMetNoEngineForSecondsStillBringsBackAKilledServer() {
        String container = create("watched");
        nodes.stopEngine(1);
        sleep(Duration.ofSeconds(6)); // the add-on watch (every 5 s) fails at least once meanwhile
        nodes.startEngine(1);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> state("watched").equals("available"));

        // docker kill is not a crash to the engine's restart policy: only the controller's watch starts it again.
        engine.client().killContainerCmd(container).exec();
        await().atMost(Duration.ofSeconds(5)).until(() -> state("watched").equals("down"));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> state("watched").equals("available"));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> AddonsTest.sql(engine, container, "select 1").equals("1"));
    }

    /** Creates an app and its PostgreSQL add-on, available; the add-on's container name. */
    private static String create(String app) {
        assertThat(api.post("/apps", "{\"name\":\"" + app + "\"}").status()).isEqualTo(201);
        Api.Response created = api.post("/apps/" + app + "/addons", "{\"service\":\"postgres\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(202);
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100)).until(() -> !state(app).equals("creating"));
        assertThat(state(app)).isEqualTo("available");
        return "slipway-" + platform.platformId() + "-postgres-" + app + "-1";
    }

    /** The app's first add-on's state, as {@code slipway addons} shows it. */
    private static String state(String app) {
        return json(api.get("/apps/" + app + "/addons")).get(0).get("state").asText();
    }

    private static Map<String, String> config(String app) {
        return io.slipway.api.Json.mapper().convertValue(json(api.get("/apps/" + app + "/config-vars")),
                new com.fasterxml.jackson.core.type.TypeReference<Map<String, String>>() { });
    }

    /** Runs a client container of the service image on the app's network, as a dyno of the app is; its output lines. */
    private static List<String> onAppNetwork(String app, String... command) {
        String image = engine.client().inspectContainerCmd("slipway-" + platform.platformId() + "-postgres-" + app + "-1")
                .exec().getConfig().getImage();
        var client = engine.client().createContainerCmd(image).withEntrypoint(command)
                .withLabels(Map.of(Labels.PLATFORM, platform.platformId()))
                .withHostConfig(HostConfig.newHostConfig().withNetworkMode("slipway-" + platform.platformId() + "-" + app))
                .exec();
        try {
            engine.client().startContainerCmd(client.getId()).exec();
            engine.client().waitContainerCmd(client.getId()).start().awaitStatusCode(30, TimeUnit.SECONDS);
            return DockerDynoRuntime.lastLines(engine, client.getId(), 5);
        } finally {
            engine.removeContainer(client.getId());
        }
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
