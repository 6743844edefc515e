package io.slipway.controller.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.controller.testing.Api;
import io.slipway.controller.testing.TestPlatform;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every effective config change is kept, with the vars after it, so that releases can be cut from it. */
class ConfigRecordsChangesTest {
    @Test
    void eachEffectiveChangeIsRecordedWithTheFullSetAfterIt() throws Exception {
        try (TestPlatform platform = TestPlatform.start()) {
            Api api = Api.of(platform);
            api.post("/apps", "{\"name\":\"shop\"}");
            api.patch("/apps/shop/config-vars", "{\"GREETING\":\"hello\",\"PEM\":\"a\\nb\"}");
            api.patch("/apps/shop/config-vars", "{\"GREETING\":\"hello\"}"); // no change: nothing to record
            api.patch("/apps/shop/config-vars", "{\"PEM\":null,\"MODE\":\"x\"}");

            var url = io.slipway.controller.db.DatabaseUrl.parse(platform.env().get("DATABASE_URL"));
            List<String> rows = new ArrayList<>();
            try (var c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
                 var rs = c.createStatement().executeQuery(
                         "select description, vars::text, created_by from config_changes order by id")) {
                while (rs.next()) {
                    rows.add(rs.getString(1) + " | " + rs.getString(2) + " | " + rs.getString(3));
                }
            }
            assertThat(rows).containsExactly(
                    "Set GREETING, PEM config vars | {\"PEM\": \"a\\nb\", \"GREETING\": \"hello\"} | admin",
                    "Set MODE and unset PEM config vars | {\"MODE\": \"x\", \"GREETING\": \"hello\"} | admin");
        }
    }
}
