package io.slipway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code schedules} verbs against a real platform: Quartz in its PostgreSQL, firings as real one-off dynos. */
class ScheduleCliTest extends AgainstDeployedShop {
    static final String TIME = DeployCliTest.TIME;

    @BeforeEach
    void noSchedules() {
        for (JsonNode schedule : json(slipway.ok("schedules", "-a", "shop", "--json"))) {
            slipway.ok("schedules:remove", "-a", "shop", schedule.get("id").asText());
        }
    }

    @Test
    void anAddedScheduleIsListedUntilRemoved() {
        String added = slipway.ok("schedules:add", "-a", "shop", "--cron", "*/10 * * * *", "--timezone", "Europe/Paris",
                "--overlap", "allow", "--", "python", "report.py").out();
        assertThat(added).matches("Added schedule [0-9a-f]{8}: \\*/10 \\* \\* \\* \\* \\(Europe/Paris\\) runs python report\\.py; "
                + "next at " + TIME + "\n");
        String id = added.substring("Added schedule ".length(), "Added schedule ".length() + 8);

        String listed = slipway.ok("schedules", "-a", "shop").out();
        assertThat(listed.lines().toList()).hasSize(3);
        assertThat(listed.lines().toList().get(0)).isEqualTo("=== shop Schedules");
        assertThat(listed.lines().toList().get(1)).matches("id +cron +timezone +overlap +next run +command");
        assertThat(listed.lines().toList().get(2))
                .matches(id + "  \\*/10 \\* \\* \\* \\*  Europe/Paris  allow    " + TIME + "  python report\\.py");
        JsonNode json = json(slipway.ok("schedules", "-a", "shop", "--json")).get(0);
        assertThat(json.get("id").asText()).startsWith(id);
        assertThat(json.get("created_by").asText()).isEqualTo("admin");

        assertThat(slipway.ok("schedules:remove", "-a", "shop", id).out()).isEqualTo("Removing schedule " + id + " from shop... done\n");
        assertThat(slipway.ok("schedules", "-a", "shop").out()).startsWith("shop has no schedules");
    }

    @Test
    void anInvalidCronIsRefusedWithTheExpectedForm() {
        slipway.run("schedules:add", "-a", "shop", "--cron", "*/10 * * *", "--", "true")
                .failsWith(1, "invalid cron expression '*/10 * * *'");
        assertThat(json(slipway.ok("schedules", "-a", "shop", "--json"))).isEmpty();
    }

    @Test
    void anUnknownTimezoneIsRefused() {
        slipway.run("schedules:add", "-a", "shop", "--cron", "0 3 * * *", "--timezone", "Mars/Olympus", "--", "true")
                .failsWith(1, "unknown timezone 'Mars/Olympus'");
        assertThat(json(slipway.ok("schedules", "-a", "shop", "--json"))).isEmpty();
    }

    @Test
    void removingAnUnknownScheduleSaysSo() {
        slipway.run("schedules:remove", "-a", "shop", "0123abcd").failsWith(1, "has no schedule '0123abcd'");
    }

    @Test
    void schedulesOfAnUnknownAppSaySo() {
        slipway.run("schedules", "-a", "nosuch").failsWith(1, "nosuch");
    }

    /** Waits for the next minute boundary: the one end-to-end look at a real firing. */
    @Test
    void aFiringShowsInTheHistoryWithItsExitCodeAndFirstLine() {
        String added = slipway.ok("schedules:add", "-a", "shop", "--cron", "* * * * *", "--",
                "echo \"scheduled $GREETING\"; exit 3").out();
        String id = added.substring("Added schedule ".length(), "Added schedule ".length() + 8);
        Awaitility.await().atMost(Duration.ofSeconds(100)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            JsonNode runs = json(slipway.ok("schedules:history", "-a", "shop", id, "--json"));
            return runs.size() > 0 && !runs.get(0).get("status").asText().equals("running");
        });
        String history = slipway.ok("schedules:history", "-a", "shop").out();
        assertThat(history.lines().toList().get(0)).isEqualTo("=== shop Schedule Runs");
        assertThat(history.lines().toList().get(1)).matches("started +schedule +dyno +status +exit +output");
        assertThat(history.lines().toList().get(2))
                .matches(TIME + "  " + id + "  run\\.\\d+ +failed +3     scheduled hi there");
        assertThat(slipway.ok("schedules:history", "-a", "shop", id).out()).isEqualTo(history);
        slipway.ok("schedules:remove", "-a", "shop", id);
    }
}
