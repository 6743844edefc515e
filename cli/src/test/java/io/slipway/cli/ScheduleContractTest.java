package io.slipway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code schedules} verbs against a stand-in that answers as the API contract says
 * ({@code CreateSchedule} in, {@code ScheduleView} and {@code ScheduleRunView} out).
 */
class ScheduleContractTest {
    private static final String REPORT = """
            {"id":"sch_1a2b","cron":"*/10 * * * *","command":"python report.py","timezone":"Europe/Paris",
             "overlap":"skip","next_run_at":"2026-11-24T13:10:00Z","created_at":"2026-11-24T13:00:00Z","created_by":"admin"}""";

    @TempDir
    Path home;

    private StandInPlatform api;
    private SlipwayCli slipway;

    @BeforeEach
    void standIn() {
        api = new StandInPlatform();
        slipway = api.cli(home);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void addPostsTheScheduleAndSaysWhenItNextRuns() {
        api.answer("POST /apps/shop/schedules", 201, REPORT);
        SlipwayCli.Result r = slipway.ok("schedules:add", "-a", "shop", "--cron", "*/10 * * * *",
                "--timezone", "Europe/Paris", "--", "python", "report.py");
        assertThat(r.out()).isEqualTo("Added schedule sch_1a2b: */10 * * * * (Europe/Paris) runs python report.py; "
                + "next at 2026-11-24T13:10:00Z\n");
        assertThat(AgainstPlatform.json(api.only().body())).isEqualTo(AgainstPlatform.json("""
                {"cron":"*/10 * * * *","command":"python report.py","timezone":"Europe/Paris","overlap":null}"""));
    }

    @Test
    void theOverlapPolicyIsSentAndCheckedFirst() {
        api.answer("POST /apps/shop/schedules", 201, REPORT);
        slipway.ok("schedules:add", "-a", "shop", "--cron", "0 3 * * *", "--overlap", "allow", "--", "true");
        assertThat(AgainstPlatform.json(api.only().body()).get("overlap").asText()).isEqualTo("allow");
        slipway.run("schedules:add", "-a", "shop", "--cron", "0 3 * * *", "--overlap", "queue", "--", "true")
                .failsWith(2, "--overlap 'queue' is not one of skip, allow");
        assertThat(api.requests()).hasSize(1);
    }

    @Test
    void aCronThePlatformRejectsIsItsMessage() {
        api.answer("POST /apps/shop/schedules", 422, "{\"id\":\"invalid_params\",\"message\":"
                + "\"'every 10' is not a cron expression: expected five fields, minute hour day-of-month month "
                + "day-of-week, as */10 * * * *\"}");
        slipway.run("schedules:add", "-a", "shop", "--cron", "every 10", "--", "true")
                .failsWith(1, "not a cron expression", "*/10 * * * *");
    }

    @Test
    void addNeedsACronAndACommand() {
        slipway.run("schedules:add", "-a", "shop", "--", "true").failsWith(2, "--cron");
        slipway.run("schedules:add", "-a", "shop", "--cron", "* * * * *").failsWith(2, "no command to schedule");
        slipway.run("schedules:add", "-a", "shop", "--cron", "* * * * *", "--", "").failsWith(2, "no command to schedule");
        assertThat(api.requests()).isEmpty();
    }

    @Test
    void schedulesListsEachWithAHeaderRow() {
        api.answer("GET /apps/shop/schedules", 200, "[" + REPORT + ","
                + "{\"id\":\"sch_9\",\"cron\":\"0 3 * * *\",\"command\":\"bin/cleanup --all\",\"timezone\":\"UTC\","
                + "\"overlap\":\"allow\",\"next_run_at\":\"2026-11-25T03:00:00Z\"}]");
        assertThat(slipway.ok("schedules", "-a", "shop").out()).isEqualTo("""
                === shop Schedules
                id        cron          timezone      overlap  next run              command
                sch_1a2b  */10 * * * *  Europe/Paris  skip     2026-11-24T13:10:00Z  python report.py
                sch_9     0 3 * * *     UTC           allow    2026-11-25T03:00:00Z  bin/cleanup --all
                """);
    }

    @Test
    void aUuidIdIsShownByItsFirstEightCharactersAsGitShortensCommits() {
        api.answer("GET /apps/shop/schedules", 200, """
                [{"id":"3f2a9c1e-7b4d-4e8a-9c0f-1a2b3c4d5e6f","cron":"0 3 * * *","command":"true","timezone":"UTC",
                  "overlap":"skip","next_run_at":null}]""");
        assertThat(slipway.ok("schedules", "-a", "shop").out()).contains("\n3f2a9c1e  0 3 * * *  UTC       skip     ");
        assertThat(slipway.ok("schedules", "-a", "shop", "--json").out()).contains("3f2a9c1e-7b4d-4e8a-9c0f-1a2b3c4d5e6f");
    }

    @Test
    void noSchedulesSaysHowToAddOne() {
        api.answer("GET /apps/shop/schedules", 200, "[]");
        assertThat(slipway.ok("schedules", "-a", "shop").out()).startsWith("shop has no schedules: `slipway schedules:add");
    }

    @Test
    void schedulesJsonIsTheApisJson() {
        api.answer("GET /apps/shop/schedules", 200, "[" + REPORT + "]");
        JsonNode json = AgainstPlatform.json(slipway.ok("schedules", "-a", "shop", "--json").out());
        assertThat(json.get(0).get("id").asText()).isEqualTo("sch_1a2b");
    }

    @Test
    void removeDeletesTheSchedule() {
        api.answer("DELETE /apps/shop/schedules/sch_1a2b", 204, "");
        assertThat(slipway.ok("schedules:remove", "-a", "shop", "sch_1a2b").out())
                .isEqualTo("Removing schedule sch_1a2b from shop... done\n");
        assertThat(api.only().method()).isEqualTo("DELETE");
    }

    @Test
    void removingAnUnknownScheduleIsThePlatformsMessage() {
        api.answer("DELETE /apps/shop/schedules/sch_nope", 404,
                "{\"id\":\"not_found\",\"message\":\"shop has no schedule sch_nope; 'slipway schedules' lists them\"}");
        slipway.run("schedules:remove", "-a", "shop", "sch_nope").failsWith(1, "no schedule sch_nope");
        slipway.run("schedules:remove", "-a", "shop").failsWith(2, "ID");
    }

    @Test
    void historyListsTheRunsWithTheFirstLineOfOutput() {
        api.answer("GET /apps/shop/schedule-runs", 200, """
                [{"schedule_id":"sch_1a2b","cron":"*/10 * * * *","command":"python report.py","dyno":"run.12",
                  "started_at":"2026-11-24T13:10:00.250Z","ended_at":"2026-11-24T13:10:04Z","exit_code":1,
                  "status":"failed","output":"\\nTraceback (most recent call last):\\n  File x"},
                 {"schedule_id":"sch_1a2b","cron":"*/10 * * * *","command":"python report.py","dyno":null,
                  "started_at":"2026-11-24T13:00:00Z","ended_at":null,"exit_code":null,"status":"skipped","output":null}]""");
        assertThat(slipway.ok("schedules:history", "-a", "shop").out()).isEqualTo("""
                === shop Schedule Runs
                started               schedule  dyno    status   exit  output
                2026-11-24T13:10:00Z  sch_1a2b  run.12  failed   1     Traceback (most recent call last):
                2026-11-24T13:00:00Z  sch_1a2b          skipped
                """);
    }

    @Test
    void historyOfOneScheduleAsksForItsRuns() {
        api.answer("GET /apps/shop/schedules/sch_1a2b/history", 200, "[]");
        assertThat(slipway.ok("schedules:history", "-a", "shop", "sch_1a2b").out())
                .isEqualTo("schedule sch_1a2b has not run yet\n");
        assertThat(slipway.ok("schedules:history", "-a", "shop", "sch_1a2b", "--json").out().strip()).isEqualTo("[ ]");
    }
}
