package io.slipway.router;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** {@code X-Request-Id}: a caller's own id is kept when it looks like one (as Heroku does), else a new UUID. */
final class RequestIds {
    private RequestIds() {}

    static String keepOrCreate(String incoming) {
        return incoming != null && isSane(incoming) ? incoming : create();
    }

    /** 20 to 200 characters of letters, digits and {@code + / = - _ .}: safe in headers and log lines. */
    static boolean isSane(String id) {
        int n = id.length();
        if (n < 20 || n > 200) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = id.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '+' || c == '/' || c == '=' || c == '-' || c == '_' || c == '.';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Random, not secret: a thread-local generator keeps it off any shared lock. */
    static String create() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long msb = (r.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }
}
