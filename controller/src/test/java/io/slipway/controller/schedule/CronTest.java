package io.slipway.controller.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.controller.http.ApiException;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Five-field Unix cron in, Quartz's form out; anything else refused with the form it expects. */
class CronTest {

    @ParameterizedTest(name = "''{0}'' runs as ''{1}''")
    @CsvSource(delimiter = '|', value = {
            "*/10 * * * *      | 0 0,10,20,30,40,50 * * * ?",
            "* * * * *         | 0 * * * * ?",
            "0 3 * * 1-5       | 0 0 3 ? * MON,TUE,WED,THU,FRI",
            "0 3 * * MON-FRI   | 0 0 3 ? * MON,TUE,WED,THU,FRI",
            "0 3 * * mon,wed   | 0 0 3 ? * MON,WED",
            "30 4 1,15 * *     | 0 30 4 1,15 * ?",
            "0 0 * * 0         | 0 0 0 ? * SUN",
            "0 0 * * 7         | 0 0 0 ? * SUN",
            "0 0 * * 5-7       | 0 0 0 ? * SUN,FRI,SAT",
            "0 12 * JAN,jul *  | 0 0 12 * 1,7 ?",
            "5-20/5 */6 * * *  | 0 5,10,15,20 0,6,12,18 * * ?",
            "0 0 * * 0-6       | 0 0 0 * * ?",
            "@daily            | 0 0 0 * * ?",
            "@hourly           | 0 0 * * * ?",
            "@weekly           | 0 0 0 ? * SUN",
    })
    void translatesUnixCronToQuartz(String unix, String quartz) {
        Cron cron = Cron.parse(unix);
        assertThat(cron.quartz()).isEqualTo(quartz);
        assertThat(cron.unix()).isEqualTo(unix.strip());
    }

    @Test
    void weekdaysAtThreeInTheMorningFireOnTheNextWeekdayInTheScheduleTimezone() {
        Cron cron = Cron.parse("0 3 * * 1-5");
        Instant saturdayNoon = Instant.parse("2026-11-28T12:00:00Z");

        assertThat(cron.nextAfter(saturdayNoon, ZoneId.of("UTC"))).contains(Instant.parse("2026-11-30T03:00:00Z"));
        assertThat(cron.nextAfter(saturdayNoon, ZoneId.of("Europe/Berlin"))).contains(Instant.parse("2026-11-30T02:00:00Z"));
    }

    @Test
    void everyTenMinutesFiresOnTheNextTenMinuteMark() {
        assertThat(Cron.parse("*/10 * * * *").nextAfter(Instant.parse("2026-11-24T12:03:17Z"), ZoneId.of("UTC")))
                .contains(Instant.parse("2026-11-24T12:10:00Z"));
    }

    @ParameterizedTest(name = "''{0}'' is refused: {1}")
    @CsvSource(delimiter = '|', value = {
            "*/10 * * *           | it has 4 fields",
            "0 */10 * * * *       | it has 6 fields",
            "61 * * * *           | minute value 61 is out of range 0-59",
            "0 24 * * *           | hour value 24 is out of range 0-23",
            "0 0 0 * *            | day-of-month value 0 is out of range 1-31",
            "0 0 * 13 *           | month value 13 is out of range 1-12",
            "0 0 * * 8            | day-of-week value 8 is out of range 0-7",
            "0 0 * * FUNDAY       | 'FUNDAY' is not a valid day-of-week value",
            "*/0 * * * *          | minute step must be at least 1",
            "30-10 * * * *        | minute range 30-10 runs backwards",
            "0 0 L * *            | 'L' is not a valid day-of-month value",
            "0 0 ? * MON          | '?' is not a valid day-of-month value",
            "0 0 1 * MON          | day-of-month (1) and day-of-week (MON) cannot both be restricted",
            "0 0 30 2 *           | it never fires",
            "@reboot              | unknown shorthand @reboot",
            "every 10 minutes all day | 'every' is not a valid minute value",
    })
    void refusesWhatIsNotFiveFieldUnixCronAndShowsTheExpectedForm(String given, String why) {
        assertThatThrownBy(() -> Cron.parse(given))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(422))
                .hasMessageContaining(why)
                .hasMessageContaining("expected five fields: minute hour day-of-month month day-of-week, e.g. '*/10 * * * *'");
    }

    @Test
    void anEmptyExpressionIsRefusedWithTheExpectedForm() {
        assertThatThrownBy(() -> Cron.parse("  "))
                .hasMessage("invalid cron expression: no cron expression given; expected five fields: minute hour "
                        + "day-of-month month day-of-week, e.g. '*/10 * * * *'");
    }
}
