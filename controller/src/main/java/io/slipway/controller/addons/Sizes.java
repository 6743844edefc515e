package io.slipway.controller.addons;

import java.util.Locale;

/** Bytes as people read them ({@code 12.3 MB}), in events and messages. */
public final class Sizes {
    private Sizes() {}

    public static String of(Long bytes) {
        if (bytes == null) {
            return "size unknown";
        }
        if (bytes < 1000) {
            return bytes + " B";
        }
        String[] units = {"kB", "MB", "GB", "TB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1000 && unit < units.length - 1) {
            value /= 1000;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
