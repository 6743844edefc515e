package io.slipway.router;

import java.util.ArrayList;
import java.util.List;

/**
 * Headers about one connection (RFC 9110, 7.6.1), never passed from one side of a proxy to the
 * other: the fixed ones, and whatever the {@code Connection} header names. One reading of that
 * header for the client's request (RequestGuard, RequestHead) and for the dyno's answer (ResponseHead).
 */
final class HopByHop {
    private HopByHop() {}

    /** One of the headers that are always about the connection alone. */
    static boolean is(String name) {
        return switch (name.length()) {
            case 2 -> name.equalsIgnoreCase("TE");
            case 7 -> name.equalsIgnoreCase("Trailer") || name.equalsIgnoreCase("Upgrade");
            case 10 -> name.equalsIgnoreCase("Connection") || name.equalsIgnoreCase("Keep-Alive");
            case 16 -> name.equalsIgnoreCase("Proxy-Connection");
            case 17 -> name.equalsIgnoreCase("Transfer-Encoding");
            default -> false;
        };
    }

    /** The tokens of {@code Connection} header values (a comma-separated list each), trimmed, empty ones left out. */
    static List<String> connectionTokens(Iterable<String> values) {
        List<String> tokens = new ArrayList<>(2);
        for (String value : values) {
            for (String token : value.split(",")) {
                String t = token.strip();
                if (!t.isEmpty()) {
                    tokens.add(t);
                }
            }
        }
        return tokens;
    }

    /** Whether {@code tokens} hold {@code name}, as header names and tokens compare: case aside. */
    static boolean contains(List<String> tokens, String name) {
        for (String t : tokens) {
            if (t.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }
}
