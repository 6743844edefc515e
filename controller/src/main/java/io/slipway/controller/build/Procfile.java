package io.slipway.controller.build;

import io.slipway.controller.http.ApiException;
import io.slipway.controller.http.StorableText;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Procfile: {@code type: command} lines. Blank lines and {@code #} comments are allowed; anything
 * else is an error that names the line, because a silently dropped process type is worse. It is
 * UTF-8 text: a NUL, or bytes that are not UTF-8 (decoded as U+FFFD), fail the build on their line
 * rather than reach the database, which cannot store them.
 */
public record Procfile(Map<String, String> processTypes) {
    private static final Pattern LINE = Pattern.compile("^([^:\\s]+)[ \\t]*:[ \\t]*(.*?)\\s*$");
    /** Process type names become part of dyno and container names: keep them simple. */
    public static final Pattern TYPE_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,29}");

    public Procfile {
        processTypes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(processTypes)); // file order
    }

    public static Procfile parse(String text) {
        Map<String, String> types = new LinkedHashMap<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int number = i + 1;
            requireText(number, line);
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            Matcher m = LINE.matcher(trimmed);
            if (!m.matches()) {
                throw invalid(number, line, "expected 'type: command', e.g. 'web: python app.py'");
            }
            String type = m.group(1);
            String command = m.group(2);
            if (!TYPE_NAME.matcher(type).matches()) {
                throw invalid(number, line, "process type '" + type + "' is not valid: use lowercase letters, digits, "
                        + "'-' and '_', starting with a letter or digit, at most 30 characters");
            }
            if (command.isEmpty()) {
                throw invalid(number, line, "process type '" + type + "' has no command");
            }
            if (types.containsKey(type)) {
                throw invalid(number, line, "process type '" + type + "' is defined twice");
            }
            types.put(type, command);
        }
        return new Procfile(types);
    }

    private static void requireText(int number, String line) {
        String problem = StorableText.problem(line);
        int replaced = line.indexOf('\uFFFD');
        if (problem == null && replaced >= 0) {
            problem = "has bytes that are not UTF-8 at character " + (replaced + 1);
        }
        if (problem != null) {
            throw ApiException.invalid("Procfile line " + number + " " + problem
                    + ": a Procfile must be UTF-8 text; fix that line (e.g. 'web: python app.py') and push again");
        }
    }

    private static ApiException invalid(int number, String line, String why) {
        return ApiException.invalid("Procfile line " + number + " ('" + StorableText.scrub(line.strip()) + "'): " + why);
    }
}
