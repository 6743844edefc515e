package io.slipway.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code KEY=VALUE} arguments of {@code config:set}. The key ends at the first {@code =}; the
 * value is everything after it, byte for byte ({@code =}, newlines and all). Whether a key is
 * acceptable is the platform's call, so one rule is never written down twice.
 */
final class ConfigAssignments {
    private ConfigAssignments() {}

    /**
     * The assignments in the order given; a key given twice keeps its last value, as the shell would.
     *
     * @throws IllegalArgumentException naming the first argument that is not {@code KEY=VALUE}
     */
    static Map<String, String> parse(List<String> arguments) {
        Map<String, String> vars = new LinkedHashMap<>();
        for (String argument : arguments) {
            int eq = argument.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("'" + printable(argument) + "' is not KEY=VALUE (no '=')");
            }
            if (eq == 0) {
                throw new IllegalArgumentException("'" + printable(argument) + "' has no key before '='");
            }
            String key = argument.substring(0, eq);
            vars.remove(key);
            vars.put(key, argument.substring(eq + 1));
        }
        return vars;
    }

    /** An argument as it can be shown in a one-line error: control characters escaped, long ones cut. */
    static String printable(String argument) {
        StringBuilder out = new StringBuilder();
        argument.codePoints().limit(60).forEach(c -> {
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (Character.isISOControl(c)) {
                        out.append(String.format("\\x%02x", c));
                    } else {
                        out.appendCodePoint(c);
                    }
                }
            }
        });
        if (argument.codePointCount(0, argument.length()) > 60) {
            out.append('…');
        }
        return out.toString();
    }
}
