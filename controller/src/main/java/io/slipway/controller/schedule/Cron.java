package io.slipway.controller.schedule;

import io.slipway.controller.http.ApiException;
import java.text.ParseException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TimeZone;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.quartz.CronExpression;

/**
 * When a schedule fires: the five Unix cron fields as the user wrote them ({@code *}{@code /10 * * * *},
 * {@code 0 3 * * MON-FRI}) and the Quartz form that runs them (a seconds field first, {@code ?} in
 * one of the day fields, days of the week by name because Quartz numbers them from 1 = Sunday).
 */
public record Cron(String unix, String quartz) {
    static final String EXPECTED =
            "expected five fields: minute hour day-of-month month day-of-week, e.g. '*/10 * * * *'";

    private static final Map<String, String> MACROS = Map.of(
            "@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *", "@monthly", "0 0 1 * *",
            "@weekly", "0 0 * * 0", "@daily", "0 0 * * *", "@midnight", "0 0 * * *", "@hourly", "0 * * * *");
    private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");
    private static final List<String> MONTHS =
            List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");

    private static final Field MINUTE = new Field("minute", 0, 59, List.of());
    private static final Field HOUR = new Field("hour", 0, 23, List.of());
    private static final Field DAY_OF_MONTH = new Field("day-of-month", 1, 31, List.of());
    private static final Field MONTH = new Field("month", 1, 12, MONTHS);
    // 0 and 7 are both Sunday, as in every Unix cron.
    private static final Field DAY_OF_WEEK = new Field("day-of-week", 0, 7, DAYS);

    /** Reads a user's five-field expression (or {@code @daily} and its kin); 422 saying what is wrong otherwise. */
    public static Cron parse(String text) {
        if (text == null || text.isBlank()) {
            throw invalid(text, "no cron expression given");
        }
        String unix = text.strip().replaceAll("\\s+", " ");
        String expanded = MACROS.getOrDefault(unix.toLowerCase(Locale.ROOT), unix);
        if (expanded.startsWith("@")) {
            throw invalid(unix, "unknown shorthand " + expanded + " (known: @hourly, @daily, @weekly, @monthly, @yearly)");
        }
        String[] f = expanded.split(" ");
        if (f.length != 5) {
            throw invalid(unix, "it has " + f.length + " field" + (f.length == 1 ? "" : "s"));
        }
        TreeSet<Integer> minutes = MINUTE.values(f[0], unix);
        TreeSet<Integer> hours = HOUR.values(f[1], unix);
        TreeSet<Integer> days = DAY_OF_MONTH.values(f[2], unix);
        TreeSet<Integer> months = MONTH.values(f[3], unix);
        TreeSet<Integer> weekdays = DAY_OF_WEEK.values(f[4], unix);
        if (weekdays.remove(7)) {
            weekdays.add(0);
        }
        boolean everyDay = days.size() == 31;
        boolean everyWeekday = weekdays.size() == 7;
        if (!everyDay && !everyWeekday) {
            // Unix cron fires when EITHER day field matches; Quartz cannot say that, so refuse it plainly.
            throw invalid(unix, "day-of-month (" + f[2] + ") and day-of-week (" + f[4]
                    + ") cannot both be restricted; put '*' in one of them");
        }
        String dayOfMonth = everyDay ? (everyWeekday ? "*" : "?") : list(days);
        String dayOfWeek = everyWeekday ? "?" : weekdays.stream().map(DAYS::get).collect(Collectors.joining(","));
        String quartz = String.join(" ", "0", compact(minutes, MINUTE), compact(hours, HOUR), dayOfMonth,
                compact(months, MONTH), dayOfWeek);
        Cron cron = new Cron(unix, quartz);
        cron.expression(ZoneId.of("UTC"));
        if (cron.nextAfter(Instant.EPOCH, ZoneId.of("UTC")).isEmpty()) {
            throw invalid(unix, "it never fires (no month has that day)");
        }
        return cron;
    }

    /** Tests only: a Quartz expression as it is, so a schedule can fire every second. */
    static Cron quartz(String expression) {
        Cron cron = new Cron(expression, expression);
        cron.expression(ZoneId.of("UTC"));
        return cron;
    }

    /** The next time this fires strictly after {@code after}, in {@code zone}; empty when it never fires again. */
    public Optional<Instant> nextAfter(Instant after, ZoneId zone) {
        Date next = expression(zone).getNextValidTimeAfter(Date.from(after));
        return Optional.ofNullable(next).map(Date::toInstant);
    }

    CronExpression expression(ZoneId zone) {
        try {
            CronExpression e = new CronExpression(quartz);
            e.setTimeZone(TimeZone.getTimeZone(zone));
            return e;
        } catch (ParseException e) {
            throw invalid(unix, e.getMessage());
        }
    }

    private static String compact(TreeSet<Integer> values, Field field) {
        return values.size() == field.max - field.min + 1 ? "*" : list(values);
    }

    private static String list(TreeSet<Integer> values) {
        return values.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    static ApiException invalid(String given, String why) {
        return ApiException.invalid("invalid cron expression" + (given == null || given.isBlank() ? "" : " '" + given + "'")
                + ": " + why + "; " + EXPECTED);
    }

    /** One cron field: lists of values, ranges and steps ({@code 1,15}, {@code MON-FRI}, {@code 0-30/5}, {@code *}{@code /10}). */
    private record Field(String name, int min, int max, List<String> names) {
        TreeSet<Integer> values(String text, String whole) {
            TreeSet<Integer> out = new TreeSet<>();
            for (String item : text.split(",", -1)) {
                String range = item;
                int step = 1;
                int slash = item.indexOf('/');
                if (slash >= 0) {
                    range = item.substring(0, slash);
                    step = number(item.substring(slash + 1), whole, "step");
                    if (step < 1) {
                        throw invalid(whole, name + " step must be at least 1, got " + step);
                    }
                }
                int from;
                int to;
                if (range.equals("*")) {
                    from = min;
                    to = name.equals("day-of-week") ? 6 : max;
                } else if (range.contains("-")) {
                    int dash = range.indexOf('-');
                    from = value(range.substring(0, dash), whole);
                    to = value(range.substring(dash + 1), whole);
                    if (to < from) {
                        throw invalid(whole, name + " range " + range + " runs backwards");
                    }
                } else {
                    from = value(range, whole);
                    to = slash >= 0 ? max : from;
                }
                for (int v = from; v <= to; v += step) {
                    out.add(v);
                }
            }
            return out;
        }

        private int value(String token, String whole) {
            int named = names.indexOf(token.toUpperCase(Locale.ROOT));
            if (named >= 0) {
                return named + (name.equals("month") ? 1 : 0);
            }
            int v = number(token, whole, "value");
            if (v < min || v > max) {
                throw invalid(whole, name + " value " + v + " is out of range " + min + "-" + max);
            }
            return v;
        }

        private int number(String token, String whole, String what) {
            if (!token.matches("\\d{1,4}")) {
                String hint = names.isEmpty() ? "" : " or a name such as " + names.get(1);
                throw invalid(whole, "'" + token + "' is not a valid " + name + " " + what + " (a number" + hint + ")");
            }
            return Integer.parseInt(token);
        }
    }
}
