package io.slipway.controller.http;

/**
 * The one rule for untrusted text that may reach the database, a container's environment or a log:
 * it must be valid Unicode without NUL. PostgreSQL's {@code text} and {@code jsonb} cannot hold
 * U+0000 (the query fails with a raw driver error), and a lone UTF-16 surrogate has no UTF-8 form
 * (the driver silently stores {@code ?} instead). Checked where text enters — path parameters
 * ({@link Routes#param}), JSON bodies ({@link JsonIO}), the Procfile — so that no query ever sees it.
 */
public final class StorableText {
    private StorableText() {}

    /** The index of the first character that cannot be stored, or -1 when all can. */
    public static int firstUnstorable(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\0') {
                return i;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++; // a pair is one valid code point
                    continue;
                }
                return i;
            }
            if (Character.isLowSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Why the text cannot be stored, e.g. "contains a NUL character (U+0000) at character 4", or null
     * when it can. Never quotes the text itself: the message may be stored and shown.
     */
    public static String problem(String s) {
        int i = firstUnstorable(s);
        if (i < 0) {
            return null;
        }
        char c = s.charAt(i);
        return c == '\0' ? "contains a NUL character (U+0000) at character " + (i + 1)
                : String.format("contains a lone UTF-16 surrogate (U+%04X) at character %d, which is not valid Unicode",
                        (int) c, i + 1);
    }

    /** Refuses (422) text that cannot be stored; {@code what} names it for the user, e.g. "config var 'A'". */
    public static String require(String what, String s) {
        String problem = s == null ? null : problem(s);
        if (problem != null) {
            throw ApiException.invalid(what + " " + problem + "; only valid Unicode text without NUL can be stored");
        }
        return s;
    }

    /** The text with every character that cannot be stored replaced by U+FFFD: for output that is kept, not refused. */
    public static String scrub(String s) {
        if (firstUnstorable(s) < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                b.append(c).append(s.charAt(++i));
            } else if (c == '\0' || Character.isSurrogate(c)) {
                b.append('\uFFFD');
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
