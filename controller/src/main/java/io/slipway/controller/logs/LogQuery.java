package io.slipway.controller.logs;

import io.slipway.controller.http.ApiException;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * What a client asked of an app's log stream: the last {@code lines} lines that match, then (with
 * {@code tail}) every new one. {@code dyno} matches a process ({@code web.1}) or a process type
 * ({@code web}); {@code sources} is empty for all sources.
 */
record LogQuery(int lines, boolean tail, String dyno, Set<String> sources) {
    static final int DEFAULT_LINES = 100;
    static final Set<String> SOURCES = Set.of("app", "router", "build", "slipway");

    LogQuery {
        if (lines < 0) {
            throw ApiException.invalid("lines must be 0 or more, got " + lines);
        }
        if (dyno != null && !LogFormat.PROCESS.matcher(dyno).matches()) {
            throw ApiException.invalid("dyno must name a process like web.1 or a process type like web, got '" + dyno + "'");
        }
        for (String s : sources) {
            if (!SOURCES.contains(s)) {
                throw ApiException.invalid("unknown log source '" + s + "'; sources are app, router, build and slipway");
            }
        }
        sources = Set.copyOf(sources);
    }

    /**
     * From the query string: {@code lines=N} (default 100), {@code tail=true|false}, {@code dyno=web.1}
     * (or {@code ps=}), {@code source=app} (several comma-separated, or the parameter repeated).
     */
    static LogQuery from(Map<String, Deque<String>> params) {
        String rawLines = first(params, "lines");
        int lines = DEFAULT_LINES;
        if (rawLines != null) {
            try {
                lines = Integer.parseInt(rawLines.trim());
            } catch (NumberFormatException e) {
                throw ApiException.invalid("lines must be a whole number, got '" + rawLines + "'");
            }
        }
        String rawTail = first(params, "tail");
        boolean tail = switch (rawTail == null ? "false" : rawTail.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1", "yes", "" -> true;
            case "false", "0", "no" -> false;
            default -> throw ApiException.invalid("tail must be true or false, got '" + rawTail + "'");
        };
        String dyno = first(params, "dyno");
        if (dyno == null) {
            dyno = first(params, "ps");
        }
        Set<String> sources = new LinkedHashSet<>();
        for (String v : params.getOrDefault("source", new java.util.ArrayDeque<>())) {
            for (String s : v.split(",")) {
                if (!s.isBlank()) {
                    sources.add(s.trim());
                }
            }
        }
        return new LogQuery(lines, tail, dyno == null || dyno.isBlank() ? null : dyno.trim(), sources);
    }

    boolean matches(String source, String process) {
        if (!sources.isEmpty() && !sources.contains(source)) {
            return false;
        }
        return dyno == null || process.equals(dyno)
                || process.length() > dyno.length() && process.startsWith(dyno) && process.charAt(dyno.length()) == '.';
    }

    boolean matchesEverything() {
        return sources.isEmpty() && dyno == null;
    }

    private static String first(Map<String, Deque<String>> params, String name) {
        Deque<String> values = params.get(name);
        return values == null || values.isEmpty() ? null : values.getFirst();
    }
}
