package io.slipway.router;

import java.util.Locale;

/** What the router makes of a request's Host header. */
record HostName(String name) {

    /** The host without port, lower-cased; null when the header is missing or not a host name. */
    static HostName parse(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String h = header.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? null : new HostName(h.substring(0, end + 1));
        }
        int colon = h.indexOf(':');
        String name = colon < 0 ? h : h.substring(0, colon);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        return name.matches("[a-z0-9]([a-z0-9.-]*[a-z0-9])?") ? new HostName(name) : null;
    }

    /** The router answers for itself (health, later metrics) on the bare domain and loopback addresses. */
    boolean isPlatform(String domain) {
        return name.equals(domain) || name.equals("127.0.0.1") || name.equals("[::1]") || name.equals("localhost");
    }

    /** {@code shop} for {@code shop.<domain>}; null for any other host. */
    String appUnder(String domain) {
        String suffix = "." + domain;
        if (!name.endsWith(suffix)) {
            return null;
        }
        String label = name.substring(0, name.length() - suffix.length());
        return label.isEmpty() || label.contains(".") ? null : label;
    }
}
