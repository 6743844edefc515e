package io.slipway.cli;

import io.slipway.controller.testing.GitPush;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The add-on verbs on a real platform: a real PostgreSQL add-on, its data written and read with
 * {@code pg:psql -c}, surviving a dyno restart and a controller restart, and destroyed.
 */
class AddonCliTest extends AgainstPlatform {
    private GitPush checkout;

    @BeforeEach
    void shop() {
        Deploys.createApp(slipway, "shop");
        checkout = Deploys.checkout("one");
        Deploys.push(platform, checkout, "shop");
    }

    @Test
    void aPostgresAddonKeepsItsRowsThroughADynoRestartAndAControllerRestart() {
        SlipwayCli.Result created = slipway.ok("addons:create", "postgres", "-a", "shop");
        assertThat(created.out()).matches("(?s)Creating postgres-shop-1 on shop\\.\\.\\. (\\n)?done, DATABASE_URL set, v\\d+\\n");
        assertThat(configOf("shop").get("DATABASE_URL")).contains("@slipway-" + platform.platformId() + "-postgres-shop-1:5432/shop");

        assertThat(slipway.ok("pg:psql", "-a", "shop", "-c", "create table items (name text)").out()).isEqualTo("CREATE TABLE\n");
        slipway.ok("pg:psql", "-a", "shop", "-c", "insert into items values ('kept')");
        String listed = slipway.ok("addons", "-a", "shop").out();
        assertThat(listed).startsWith("=== shop Add-ons\n").contains("postgres-shop-1  postgres 15  available  DATABASE (shop)");

        slipway.ok("ps:restart", "-a", "shop");
        platform.restartController();

        await().atMost(Duration.ofSeconds(30)).until(() -> slipway.ok("addons:info", "postgres-shop-1").out().contains("available"));
        assertThat(slipway.ok("pg:psql", "-a", "shop", "-c", "select name from items").out())
                .isEqualTo(" name \n------\n kept\n(1 row)\n\n");
        String info = slipway.ok("pg:info", "-a", "shop").out();
        assertThat(info).startsWith("=== DATABASE_URL\nAdd-on:      postgres-shop-1\nStatus:      available\nPG Version:  15.")
                .contains("Tables:      1\n");
    }

    @Test
    void pgPsqlReturnsPsqlsExitCodeAndItsErrors() {
        slipway.ok("addons:create", "postgres", "-a", "shop");
        SlipwayCli.Result bad = slipway.run("pg:psql", "-a", "shop", "-c", "select * from nowhere");
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.err()).contains("relation \"nowhere\" does not exist");
        assertThat(slipway.run("pg:psql", "-a", "shop", "-c", "select 1").exitCode()).isZero();
    }

    @Test
    void anInteractivePsqlGetsATerminalAndEndsWithQuit() {
        slipway.ok("addons:create", "postgres", "-a", "shop");
        FakeTty tty = new FakeTty(100, 30);
        SlipwayCli.Result r = slipway.onTerminal(tty).typing("select 6 * 7 as answer;\n\\q\n").run("pg:psql", "-a", "shop");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("shop=#").contains(" answer ").contains("42");
        assertThat(r.err()).isEqualTo("Connecting to DATABASE on shop... up, postgres-shop-1\n");
        assertThat(tty.events()).containsExactly("raw", "restored");
    }

    @Test
    void pgVerbsOnAnAppWithoutPostgresSaySoAndHowToGetOne() {
        SlipwayCli.Result psql = slipway.run("pg:psql", "-a", "shop", "-c", "select 1");
        assertThat(psql.exitCode()).isEqualTo(1);
        assertThat(psql.err()).isEqualTo("Connecting to DATABASE on shop... !\n"
                + "slipway: shop has no PostgreSQL add-on; create one: slipway addons:create postgres -a shop\n");
        slipway.run("pg:info", "-a", "shop")
                .failsWith(1, "shop has no PostgreSQL add-on; create one: slipway addons:create postgres -a shop");
    }

    @Test
    void destroyWantsConfirmationThenRemovesTheAddonAndItsVar() {
        slipway.ok("addons:create", "redis", "-a", "shop");
        assertThat(configOf("shop")).containsKey("REDIS_URL");
        slipway.run("addons:destroy", "redis-shop-1").failsWith(1, "confirm with --confirm shop");
        slipway.run("addons:create", "mysql", "-a", "shop").failsWith(1, "unknown service 'mysql'; Slipway offers postgres (15), redis (7)");
        assertThat(slipway.ok("addons:destroy", "redis-shop-1", "--confirm", "shop").out())
                .matches("Destroying redis-shop-1\\.\\.\\. done, REDIS_URL unset on shop \\(v\\d+\\)\\n");
        assertThat(configOf("shop")).doesNotContainKey("REDIS_URL");
        assertThat(slipway.ok("addons", "-a", "shop").out()).isEqualTo("No add-ons on shop\n");
    }

    @Test
    void aOneOffDynoReachesThePostgresAddonByItsUrl() {
        slipway.ok("addons:create", "postgres", "-a", "shop");
        // One-off dynos run the live release: wait for the one that set DATABASE_URL to finish its rollout.
        await().atMost(Duration.ofSeconds(60)).until(() ->
                json(slipway.ok("releases", "-a", "shop", "--json")).get(0).get("state").asText().equals("live"));
        // The run stack has python3 but no psql: a PostgreSQL startup message over TCP; the server answers 'R' (authentication).
        String probe = "import os, socket, struct, urllib.parse as u; p = u.urlparse(os.environ['DATABASE_URL']); "
                + "s = socket.create_connection((p.hostname, p.port), 5); "
                + "body = b'user\\0' + p.username.encode() + b'\\0database\\0' + p.path[1:].encode() + b'\\0\\0'; "
                + "s.sendall(struct.pack('!ii', len(body) + 8, 196608) + body); print(s.recv(1)[:1].decode())";
        assertThat(slipway.ok("run", "-a", "shop", "--", "python3", "-c", probe).out().strip()).isEqualTo("R");
    }
}
