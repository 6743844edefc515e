package io.slipway.controller.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-app buffer on its own: what it keeps, in what form, within what bounds, across restarts. */
class LogBufferTest {
    @TempDir
    Path home;

    private static final LogQuery ALL = new LogQuery(100, false, null, Set.of());

    private LogService service(long appBytes, long totalBytes, long fileBytes) {
        return new LogService(new LogService.Settings(home.resolve("logs/apps"), appBytes, totalBytes, fileBytes, 8),
                app -> app.startsWith("shop") || app.equals("blog"));
    }

    private LogService service() {
        return service(8L << 20, 64L << 20, 8L << 20);
    }

    static List<String> lines(AppLog log, LogQuery query) {
        ByteBuffer buf = ByteBuffer.allocate(64 << 20);
        log.read(log.startFor(query.lines(), query), Long.MAX_VALUE, query, buf);
        buf.flip();
        String text = StandardCharsets.UTF_8.decode(buf).toString();
        return text.isEmpty() ? List.of() : List.of(text.split("\n"));
    }

    @Test
    void linesReadLikeHerokusWithMicrosecondsAndUtc() {
        try (LogService logs = service()) {
            logs.append(new LogLine(Instant.parse("2026-11-24T13:00:00.123456789Z"), "shop", "app", "web.1", "hello"));
            logs.event("shop", "api", "Release v4 created by admin");
            assertThat(lines(logs.open("shop"), ALL).get(0)).isEqualTo("2026-11-24T13:00:00.123456+00:00 app[web.1]: hello");
            assertThat(lines(logs.open("shop"), ALL).get(1)).matches(
                    "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}\\+00:00 slipway\\[api\\]: Release v4 created by admin");
        }
    }

    @Test
    void textWithLineBreaksBecomesSeveralLinesAndLongLinesAreCut() {
        try (LogService logs = service()) {
            logs.append(new LogLine(Instant.now(), "shop", "app", "web.1", "one\r\ntwo\n"));
            logs.append(new LogLine(Instant.now(), "shop", "app", "web.1", "x".repeat(20_000)));
            List<String> got = lines(logs.open("shop"), ALL);
            assertThat(got).hasSize(3);
            assertThat(got.get(0)).endsWith("app[web.1]: one");
            assertThat(got.get(1)).endsWith("app[web.1]: two");
            assertThat(got.get(2)).endsWith("x".repeat(LogFormat.MAX_TEXT_CHARS)).doesNotContain("x".repeat(LogFormat.MAX_TEXT_CHARS + 1));
        }
    }

    @Test
    void aRenamedAppKeepsItsLinesEvenThoseInTheRotatedFileAndTheOldNameHasNone() {
        try (LogService logs = service(64 << 10, 64 << 10, 64 << 10)) {
            for (int i = 1; i <= 600; i++) { // about 100 KiB: part of it is in shop.log.1
                logs.append(new LogLine(Instant.now(), "shop", "app", "web.1", "line " + i + " " + "x".repeat(100)));
            }
            assertThat(home.resolve("logs/apps/shop.log.1")).exists();
            logs.rename("shop", "shop2");
            logs.append(new LogLine(Instant.now(), "shop2", "app", "web.1", "after the rename"));

            List<String> got = lines(logs.open("shop2"), new LogQuery(1500, false, null, Set.of()));
            assertThat(got.getLast()).endsWith("app[web.1]: after the rename");
            assertThat(got.get(got.size() - 2)).contains("app[web.1]: line 600 ");
            assertThat(got.size()).isGreaterThan(100);
            assertThat(home.resolve("logs/apps/shop.log")).doesNotExist();
            assertThat(home.resolve("logs/apps/shop.log.1")).doesNotExist();
            assertThat(lines(logs.open("shop"), ALL)).isEmpty();
        }
    }

    @Test
    void theBufferSurvivesARestartWithoutRepeatingALine() {
        try (LogService logs = service()) {
            for (int i = 1; i <= 1000; i++) {
                logs.append(new LogLine(Instant.now(), "shop", "app", "web.1", "line " + i));
            }
        }
        try (LogService logs = service()) {
            logs.append(new LogLine(Instant.now(), "shop", "app", "web.1", "line 1001"));
            List<String> got = lines(logs.open("shop"), new LogQuery(5000, false, null, Set.of()));
            assertThat(got).hasSize(1001);
            for (int i = 0; i < got.size(); i++) {
                assertThat(got.get(i)).endsWith("app[web.1]: line " + (i + 1));
            }
        }
    }

    @Test
    void aLineCutShortByACrashIsDroppedAndTheNextStartsOnItsOwnLine() throws IOException {
        try (LogService logs = service()) {
            logs.append(new LogLine(Instant.now(), "shop", "app", "web.1", "whole"));
        }
        Path file = home.resolve("logs/apps/shop.log");
        Files.writeString(file, "2026-11-24T13:00:00Z app[web.1] - half a li", java.nio.file.StandardOpenOption.APPEND);
        try (LogService logs = service()) {
            logs.append(new LogLine(Instant.now(), "shop", "app", "web.1", "after"));
        }
        try (LogService logs = service()) {
            assertThat(lines(logs.open("shop"), ALL)).hasSize(2)
                    .satisfies(l -> assertThat(l.get(0)).endsWith("whole"), l -> assertThat(l.get(1)).endsWith("after"));
        }
    }

    @Test
    void memoryStaysWithinEachAppsShareAndFilesRotateAtTheirSize() throws IOException {
        long app = 256 * 1024;
        long file = 128 * 1024;
        try (LogService logs = service(app, 3 * app, file)) {
            for (String name : List.of("shop", "shop-a", "shop-b", "shop-c")) {
                for (int i = 0; i < 20_000; i++) {
                    logs.append(new LogLine(Instant.now(), name, "app", "web.1", "line " + i + " of " + name));
                }
            }
            assertThat(logs.bytesInMemory()).isLessThanOrEqualTo(3 * app);
            assertThat(logs.open("shop").bytes()).isLessThanOrEqualTo(3 * app / 4);
            List<String> kept = lines(logs.open("shop-c"), new LogQuery(100_000, false, null, Set.of()));
            assertThat(kept.getLast()).endsWith("line 19999 of shop-c");
            assertThat(kept.size()).isBetween(1000, 19_999);
        }
        try (Stream<Path> files = Files.list(home.resolve("logs/apps"))) {
            for (Path p : files.toList()) {
                assertThat(Files.size(p)).as(p.toString()).isLessThanOrEqualTo(file);
            }
        }
        assertThat(home.resolve("logs/apps/shop.log.1")).exists();
        assertThat(home.resolve("logs/apps/shop.log.2")).doesNotExist();
    }

    @Test
    void aContainersCursorIsKeptAcrossRestartsAndRotations() {
        Instant t0 = Instant.parse("2026-11-24T13:00:00.000000001Z");
        try (LogService logs = service(64 * 1024, 64 * 1024, 64 * 1024)) {
            logs.append(new LogLine(t0, "shop", "app", "web.1", "first"), "aaaaaaaaaaaa");
            logs.append(new LogLine(t0, "shop", "app", "web.1", "same instant"), "aaaaaaaaaaaa");
            for (int i = 0; i < 5000; i++) {
                logs.append(new LogLine(Instant.now(), "shop", "app", "worker.1", "filler " + i), "bbbbbbbbbbbb");
            }
            assertThat(logs.cursor("shop", "aaaaaaaaaaaa")).isEqualTo(new LogFile.Cursor(t0, 2));
        }
        try (LogService logs = service(64 * 1024, 64 * 1024, 64 * 1024)) {
            assertThat(logs.cursor("shop", "aaaaaaaaaaaa")).isEqualTo(new LogFile.Cursor(t0, 2));
            logs.retainContainers(Set.of("bbbbbbbbbbbb"));
            assertThat(logs.cursor("shop", "aaaaaaaaaaaa")).isNull();
        }
    }

    @Test
    void filtersMatchADynoAProcessTypeAndSources() {
        try (LogService logs = service()) {
            logs.append(new LogLine(Instant.now(), "shop", "app", "web.1", "a"));
            logs.append(new LogLine(Instant.now(), "shop", "app", "web.12", "b"));
            logs.append(new LogLine(Instant.now(), "shop", "app", "worker.1", "c"));
            logs.append(new LogLine(Instant.now(), "shop", "router", "router", "d"));
            logs.event("shop", "web.1", "State changed from starting to up");
            AppLog log = logs.open("shop");
            assertThat(lines(log, new LogQuery(100, false, "web.1", Set.of()))).hasSize(2);
            assertThat(lines(log, new LogQuery(100, false, "web", Set.of()))).hasSize(3);
            assertThat(lines(log, new LogQuery(100, false, "web", Set.of("app")))).hasSize(2);
            assertThat(lines(log, new LogQuery(100, false, null, Set.of("router", "slipway")))).hasSize(2);
            assertThat(lines(log, new LogQuery(2, false, null, Set.of()))).hasSize(2)
                    .satisfies(l -> assertThat(l.get(1)).contains("State changed"));
            assertThat(lines(log, new LogQuery(1, false, "web", Set.of("app"))).get(0)).endsWith("app[web.12]: b");
        }
    }

    @Test
    void linesForAppsThatDoNotExistCreateNothing() {
        try (LogService logs = service()) {
            logs.append(new LogLine(Instant.now(), "nosuch", "router", "router", "x"));
            logs.append(new LogLine(Instant.now(), "../etc", "router", "router", "x"));
        }
        assertThat(home.resolve("logs/apps")).doesNotExist();
    }

    @Test
    void removingAnAppDeletesItsLogAndEndsItsTails() {
        try (LogService logs = service()) {
            logs.append(new LogLine(Instant.now(), "blog", "app", "web.1", "x"));
            logs.open("blog").flush();
            assertThat(home.resolve("logs/apps/blog.log")).exists();
            boolean[] ended = {false};
            logs.open("blog").listen(new AppLog.Listener() {
                @Override
                public void linesAdded() {}

                @Override
                public void closed() {
                    ended[0] = true;
                }
            });
            logs.remove("blog");
            assertThat(ended[0]).isTrue();
            assertThat(home.resolve("logs/apps/blog.log")).doesNotExist();
            assertThat(lines(logs.open("blog"), ALL)).isEmpty();
        }
    }

    @Test
    void aReaderThatFellBehindIsToldHowManyLinesItMissed() {
        try (LogService logs = service(64 * 1024, 64 * 1024, 1 << 20)) {
            AppLog log = logs.open("shop");
            long from = log.next();
            for (int i = 0; i < 10_000; i++) {
                logs.append(new LogLine(Instant.now(), "shop", "app", "web.1", "line " + i));
            }
            ByteBuffer buf = ByteBuffer.allocate(1 << 20);
            AppLog.Read read = log.read(from, Long.MAX_VALUE, ALL, buf);
            buf.flip();
            String[] got = StandardCharsets.UTF_8.decode(buf).toString().split("\n");
            assertThat(read.skipped()).isPositive();
            assertThat(got[0]).endsWith("slipway[logs]: " + read.skipped() + " lines skipped: this client read too slowly");
            assertThat(got[1]).endsWith("app[web.1]: line " + read.skipped());
            assertThat(got[got.length - 1]).endsWith("line 9999");
        }
    }

    @Test
    void dockerTimestampsParseExactly() {
        List<String> samples = new ArrayList<>(List.of("2026-11-24T13:00:00.123456789Z", "2026-11-24T13:00:00.1Z",
                "2026-11-24T13:00:00Z", "1999-12-31T23:59:59.000000001Z", "2028-02-29T00:00:00.5Z"));
        for (String s : samples) {
            assertThat(LogFormat.dockerTime(s, 0, s.length())).as(s).isEqualTo(Instant.parse(s));
        }
        String framed = "x2026-11-24T13:00:00.25Z hello";
        assertThat(LogFormat.dockerTime(framed, 1, framed.indexOf(' '))).isEqualTo(Instant.parse("2026-11-24T13:00:00.25Z"));
    }
}
