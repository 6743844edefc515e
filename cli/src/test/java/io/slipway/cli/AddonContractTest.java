package io.slipway.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the add-on verbs send and print, against a stand-in that answers as {@code AddonView},
 * {@code PgInfoView} and the error shape say: exact requests and output shapes, including ones a
 * real platform shows only rarely (a failed creation, a refusal).
 */
class AddonContractTest {
    static final String AVAILABLE = """
            {"name":"postgres-shop-1","service":"postgres","version":"15","app":"shop","state":"available","message":null,
             "attachments":[{"app":"shop","name":"DATABASE","config_var":"DATABASE_URL","release":"v8"},
                            {"app":"shop-worker","name":"ANALYTICS_DATABASE","config_var":"ANALYTICS_DATABASE_URL","release":"v3"}],
             "size_bytes":7612345,"created_at":"2026-11-24T13:00:00Z"}""";

    @TempDir
    Path home;

    private StandInPlatform api;
    private SlipwayCli slipway;

    @BeforeEach
    void standIn() {
        api = new StandInPlatform();
        slipway = api.cli(home).at(ContractCliTest.NOW);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void addonsListsNameServiceStateAttachmentsAndSize() {
        api.answer("GET /apps/shop/addons", 200, "[" + AVAILABLE + ","
                + """
                {"name":"redis-shop-1","service":"redis","version":"7","app":"shop","state":"down",
                 "message":"its container is exited","attachments":[],"size_bytes":null,"created_at":"2026-11-24T13:00:00Z"}]""");
        assertThat(slipway.ok("addons", "-a", "shop").out()).isEqualTo("""
                === shop Add-ons
                Add-on           Service      State      Attached as                                        Size
                postgres-shop-1  postgres 15  available  DATABASE (shop), ANALYTICS_DATABASE (shop-worker)  7.6 MB
                redis-shop-1     redis 7      down       -                                                  -
                """);
    }

    @Test
    void addonsWithoutAnySaysSoAndJsonIsTheApis() {
        api.answer("GET /apps/shop/addons", 200, "[]");
        assertThat(slipway.ok("addons", "-a", "shop").out()).isEqualTo("No add-ons on shop\n");
        assertThat(slipway.ok("addons", "-a", "shop", "--json").out()).isEqualTo("[ ]\n");
    }

    @Test
    void addonsCreateSendsTheServiceAndSaysWhichVarItSetAndTheRelease() {
        api.answer("POST /apps/shop/addons", 202, """
                {"name":"postgres-shop-1","service":"postgres","version":"15","app":"shop","state":"creating",
                 "message":"waiting to start","attachments":[],"size_bytes":null,"created_at":"2026-11-24T13:00:00Z"}""");
        api.answer("GET /addons/postgres-shop-1", 200, AVAILABLE);
        assertThat(slipway.ok("addons:create", "postgres", "-a", "shop").out())
                .isEqualTo("Creating postgres-shop-1 on shop... done, DATABASE_URL set, v8\n");
        assertThat(api.requests().getFirst().body()).isEqualTo("{\"service\":\"postgres\",\"version\":null,\"as\":null}");
    }

    @Test
    void aFailedCreationIsAnErrorThatSaysWhyAndHowToRemoveIt() {
        api.answer("POST /apps/shop/addons", 202, """
                {"name":"postgres-shop-1","service":"postgres","version":"15","app":"shop","state":"creating",
                 "message":null,"attachments":[],"size_bytes":null,"created_at":"2026-11-24T13:00:00Z"}""");
        api.answer("GET /addons/postgres-shop-1", 200, """
                {"name":"postgres-shop-1","service":"postgres","version":"15","app":"shop","state":"failed",
                 "message":"the PostgreSQL server stopped before accepting connections","attachments":[],"size_bytes":null,
                 "created_at":"2026-11-24T13:00:00Z"}""");
        SlipwayCli.Result r = slipway.run("addons:create", "postgres", "-a", "shop");
        r.failsWith(1, "postgres-shop-1 failed: the PostgreSQL server stopped before accepting connections",
                "slipway addons:destroy postgres-shop-1 --confirm shop");
        assertThat(r.out()).isEqualTo("Creating postgres-shop-1 on shop... !\n");
    }

    @Test
    void aRefusalIsOneLineWithTheReason() {
        api.answer("POST /apps/shop/addons", 409, """
                {"id":"conflict","message":"DATABASE_URL is already set on shop (not by an add-on); pick another name with --as NAME, or remove it first: slipway config:unset DATABASE_URL -a shop"}""");
        slipway.run("addons:create", "postgres", "-a", "shop")
                .failsWith(1, "DATABASE_URL is already set on shop", "slipway config:unset DATABASE_URL -a shop");
    }

    @Test
    void addonsInfoShowsOneAddon() {
        api.answer("GET /addons/postgres-shop-1", 200, AVAILABLE);
        assertThat(slipway.ok("addons:info", "postgres-shop-1").out()).isEqualTo("""
                === postgres-shop-1
                App:         shop
                Service:     postgres 15
                State:       available
                Attached as: DATABASE (shop), ANALYTICS_DATABASE (shop-worker)
                Size:        7.6 MB
                Created:     2026-11-24T13:00:00Z
                """);
    }

    @Test
    void attachDetachAndDestroySendWhatTheySayAndNameTheRelease() {
        api.answer("POST /addons/postgres-shop-1/attachments", 201, AVAILABLE);
        assertThat(slipway.ok("addons:attach", "postgres-shop-1", "-a", "shop-worker", "--as", "ANALYTICS_DATABASE").out())
                .isEqualTo("Attaching postgres-shop-1 as ANALYTICS_DATABASE to shop-worker... done, ANALYTICS_DATABASE_URL set, v3\n");
        assertThat(api.requests().getLast().body()).isEqualTo("{\"app\":\"shop-worker\",\"as\":\"ANALYTICS_DATABASE\"}");

        api.answer("DELETE /apps/shop-worker/addon-attachments/ANALYTICS_DATABASE", 200,
                "{\"app\":\"shop-worker\",\"name\":\"ANALYTICS_DATABASE\",\"config_var\":\"ANALYTICS_DATABASE_URL\",\"release\":\"v4\"}");
        assertThat(slipway.ok("addons:detach", "ANALYTICS_DATABASE", "-a", "shop-worker").out())
                .isEqualTo("Detaching ANALYTICS_DATABASE from shop-worker... done, ANALYTICS_DATABASE_URL unset, v4\n");

        api.answer("DELETE /addons/postgres-shop-1", 200, """
                {"name":"postgres-shop-1","service":"postgres","version":"15","app":"shop","state":"destroyed","message":null,
                 "attachments":[{"app":"shop","name":"DATABASE","config_var":"DATABASE_URL","release":"v9"}],
                 "size_bytes":null,"created_at":"2026-11-24T13:00:00Z"}""");
        assertThat(slipway.ok("addons:destroy", "postgres-shop-1", "--confirm", "shop").out())
                .isEqualTo("Destroying postgres-shop-1... done, DATABASE_URL unset on shop (v9)\n");
        assertThat(api.requests().getLast().query()).isEqualTo("confirm=shop");
    }

    @Test
    void pgInfoShowsEachDatabaseUnderItsConfigVar() {
        api.answer("GET /apps/shop/pg-info", 200, """
                [{"name":"postgres-shop-1","attached_as":["DATABASE"],"state":"available",
                  "server_version":"15.20 (Debian 15.20-0+deb12u1)","size_bytes":7612345,"connections":1,"tables":3}]""");
        assertThat(slipway.ok("pg:info", "-a", "shop").out()).isEqualTo("""
                === DATABASE_URL
                Add-on:      postgres-shop-1
                Status:      available
                PG Version:  15.20 (Debian 15.20-0+deb12u1)
                Data Size:   7.6 MB
                Connections: 1
                Tables:      3
                """);
    }

    @Test
    void sizesReadAsPeopleWriteThem() {
        assertThat(AddonCommands.size(null)).isEqualTo("-");
        assertThat(AddonCommands.size(999L)).isEqualTo("999 B");
        assertThat(AddonCommands.size(12_300_000L)).isEqualTo("12.3 MB");
        assertThat(AddonCommands.size(1_500_000_000L)).isEqualTo("1.5 GB");
    }
}
