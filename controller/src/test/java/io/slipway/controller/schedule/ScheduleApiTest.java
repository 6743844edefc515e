package io.slipway.controller.schedule;

import static io.slipway.controller.testing.Api.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.controller.testing.Api;
import io.slipway.controller.testing.TestPlatform;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code /apps/{app}/schedules} on a real controller: what is stored, and bad input refused with nothing stored. */
class ScheduleApiTest {
    static TestPlatform platform;
    static Api api;

    @BeforeAll
    static void start() {
        platform = TestPlatform.start();
        api = Api.of(platform);
        assertThat(api.post("/apps", "{\"name\":\"shop\"}").status()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @BeforeEach
    void noSchedules() {
        for (JsonNode s : json(api.get("/apps/shop/schedules"))) {
            api.delete("/apps/shop/schedules/" + s.get("id").asText());
        }
    }

    @Test
    void addingAScheduleAnswersItWithItsNextRunAndListsIt() {
        Api.Response added = api.post("/apps/shop/schedules",
                "{\"cron\":\"*/10 * * * *\",\"command\":\"python report.py\"}");

        assertThat(added.status()).as(added.body()).isEqualTo(201);
        JsonNode s = json(added);
        assertThat(s.get("cron").asText()).isEqualTo("*/10 * * * *");
        assertThat(s.get("command").asText()).isEqualTo("python report.py");
        assertThat(s.get("timezone").asText()).isEqualTo("UTC");
        assertThat(s.get("overlap").asText()).isEqualTo("skip");
        assertThat(s.get("created_by").asText()).isEqualTo("admin");
        Instant next = Instant.parse(s.get("next_run_at").asText());
        assertThat(next).isBetween(Instant.now(), Instant.now().plus(Duration.ofMinutes(10)));
        assertThat(next.getEpochSecond() % 600).isZero();
        JsonNode listed = json(api.get("/apps/shop/schedules"));
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).get("id").asText()).isEqualTo(s.get("id").asText());
        assertThat(json(api.get("/apps/shop/schedules/" + s.get("id").asText() + "/history"))).isEmpty();
        assertThat(json(api.get("/apps/shop/schedule-runs"))).isEmpty();
    }

    @Test
    void aTimezoneAndOverlapAreKeptAndRemovingAnswersTheRemovedSchedule() {
        JsonNode s = json(api.post("/apps/shop/schedules", "{\"cron\":\"0 3 * * MON-FRI\",\"command\":\"python nightly.py\","
                + "\"timezone\":\"Europe/Berlin\",\"overlap\":\"allow\"}"));
        assertThat(s.get("timezone").asText()).isEqualTo("Europe/Berlin");
        assertThat(s.get("overlap").asText()).isEqualTo("allow");

        Api.Response removed = api.delete("/apps/shop/schedules/" + s.get("id").asText());

        assertThat(removed.status()).isEqualTo(200);
        assertThat(json(removed).get("id").asText()).isEqualTo(s.get("id").asText());
        assertThat(json(api.get("/apps/shop/schedules"))).isEmpty();
    }

    @Test
    void anInvalidCronIsRefusedWithTheExpectedFormAndNothingIsStored() {
        Api.Response r = api.post("/apps/shop/schedules", "{\"cron\":\"*/10 * * *\",\"command\":\"python report.py\"}");

        assertThat(r.status()).isEqualTo(422);
        assertThat(json(r).get("id").asText()).isEqualTo("invalid_params");
        assertThat(json(r).get("message").asText()).isEqualTo("invalid cron expression '*/10 * * *': it has 4 fields; "
                + "expected five fields: minute hour day-of-month month day-of-week, e.g. '*/10 * * * *'");
        assertThat(json(api.get("/apps/shop/schedules"))).isEmpty();
    }

    @Test
    void anUnknownTimezoneIsRefusedByNameAndNothingIsStored() {
        Api.Response r = api.post("/apps/shop/schedules",
                "{\"cron\":\"0 3 * * *\",\"command\":\"true\",\"timezone\":\"Mars/Olympus_Mons\"}");

        assertThat(r.status()).isEqualTo(422);
        assertThat(json(r).get("message").asText()).startsWith("unknown timezone 'Mars/Olympus_Mons'");
        assertThat(json(api.get("/apps/shop/schedules"))).isEmpty();
    }

    @Test
    void anUnknownOverlapPolicyOrAnEmptyCommandIsRefusedAndNothingIsStored() {
        Api.Response overlap = api.post("/apps/shop/schedules",
                "{\"cron\":\"0 3 * * *\",\"command\":\"true\",\"overlap\":\"queue\"}");
        Api.Response command = api.post("/apps/shop/schedules", "{\"cron\":\"0 3 * * *\",\"command\":\"  \"}");
        Api.Response noCron = api.post("/apps/shop/schedules", "{\"command\":\"true\"}");

        assertThat(overlap.status()).isEqualTo(422);
        assertThat(json(overlap).get("message").asText()).startsWith("overlap must be 'skip'").endsWith("got 'queue'");
        assertThat(command.status()).isEqualTo(422);
        assertThat(json(command).get("message").asText()).startsWith("no command given");
        assertThat(noCron.status()).isEqualTo(422);
        assertThat(json(noCron).get("message").asText()).contains("expected five fields");
        assertThat(json(api.get("/apps/shop/schedules"))).isEmpty();
    }

    @Test
    void removingOrAskingTheHistoryOfAnUnknownScheduleIsNotFound() {
        Api.Response remove = api.delete("/apps/shop/schedules/00000000-0000-0000-0000-000000000000");
        Api.Response garbage = api.delete("/apps/shop/schedules/nope");
        Api.Response history = api.get("/apps/shop/schedules/00000000-0000-0000-0000-000000000000/history");

        assertThat(remove.status()).isEqualTo(404);
        assertThat(json(remove).get("message").asText()).isEqualTo("app 'shop' has no schedule "
                + "'00000000-0000-0000-0000-000000000000'; 'slipway schedules -a shop' lists them");
        assertThat(garbage.status()).isEqualTo(404);
        assertThat(history.status()).isEqualTo(404);
    }

    @Test
    void schedulesOfAnUnknownAppAreNotFound() {
        assertThat(api.get("/apps/nosuch/schedules").status()).isEqualTo(404);
        assertThat(api.get("/apps/nosuch/schedule-runs").status()).isEqualTo(404);
        Api.Response add = api.post("/apps/nosuch/schedules", "{\"cron\":\"0 3 * * *\",\"command\":\"true\"}");
        assertThat(add.status()).isEqualTo(404);
        assertThat(json(add).get("message").asText()).startsWith("app 'nosuch' does not exist");
    }

    @Test
    void aLimitThatIsNotANumberIsRefused() {
        Api.Response r = api.get("/apps/shop/schedule-runs?limit=lots");
        assertThat(r.status()).isEqualTo(422);
        assertThat(json(r).get("message").asText()).isEqualTo("limit must be a whole number from 1 to 500, got 'lots'");
    }
}
