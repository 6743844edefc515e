package io.slipway.router;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import java.util.Locale;

/** What the router makes of a request's Host header: parsed once by {@link RequestGuard}, attached to the exchange. */
record HostName(String name) {
    static final AttachmentKey<HostName> KEY = AttachmentKey.create(HostName.class);

    static HostName of(HttpServerExchange exchange) {
        return exchange.getAttachment(KEY);
    }

    /** Each thread's last header and what it made of it: a keep-alive client sends the same Host every time. */
    private static final ThreadLocal<Object[]> last = ThreadLocal.withInitial(() -> new Object[2]);

    /** {@link #parse}, reusing this thread's last answer when the header is the same. */
    static HostName parseReusing(String header) {
        Object[] l = last.get();
        if (header != null && header.equals(l[0])) {
            return (HostName) l[1];
        }
        HostName host = parse(header);
        if (host != null) {
            l[0] = header;
            l[1] = host;
        }
        return host;
    }

    /** The host without port, lower-cased; null when the header is missing or not a host name (with an optional port). */
    static HostName parse(String header) {
        if (header == null) {
            return null;
        }
        String h = header.trim();
        if (h.isEmpty()) {
            return null;
        }
        String name;
        int portStart;
        if (h.charAt(0) == '[') {
            int end = h.indexOf(']');
            if (end < 2 || !all(h, 1, end, "0123456789abcdefABCDEF:.")) {
                return null;
            }
            name = h.substring(0, end + 1);
            portStart = end + 1;
        } else {
            int colon = h.indexOf(':');
            int end = colon < 0 ? h.length() : colon;
            int nameEnd = end > 0 && h.charAt(end - 1) == '.' ? end - 1 : end; // a fully qualified "shop.localhost."
            if (!isHostName(h, nameEnd)) {
                return null;
            }
            name = h.substring(0, nameEnd);
            portStart = end;
        }
        if (portStart < h.length()) {
            if (h.charAt(portStart) != ':' || h.length() - portStart - 1 < 1 || h.length() - portStart - 1 > 5
                    || !all(h, portStart + 1, h.length(), "0123456789")) {
                return null;
            }
        }
        return new HostName(name.toLowerCase(Locale.ROOT));
    }

    /** Letters, digits, dots and dashes; not starting or ending with a dot or dash; at most 253 characters. */
    private static boolean isHostName(String s, int end) {
        if (end < 1 || end > 253) {
            return false;
        }
        for (int i = 0; i < end; i++) {
            char c = s.charAt(i);
            boolean alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (!alnum && (c != '.' && c != '-' || i == 0 || i == end - 1)) {
                return false;
            }
        }
        return true;
    }

    private static boolean all(String s, int from, int to, String allowed) {
        for (int i = from; i < to; i++) {
            if (allowed.indexOf(s.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    /** The router answers for itself (health, metrics) on the bare domain and loopback addresses. */
    boolean isPlatform(String domain) {
        return name.equals(domain) || name.equals("127.0.0.1") || name.equals("[::1]") || name.equals("localhost");
    }

    /** {@code shop} for {@code shop.<domain>}; null for any other host. */
    String appUnder(String domain) {
        int labelEnd = name.length() - domain.length() - 1;
        if (labelEnd < 1 || !name.endsWith(domain) || name.charAt(labelEnd) != '.') {
            return null;
        }
        String label = name.substring(0, labelEnd);
        return label.indexOf('.') >= 0 ? null : label;
    }
}
