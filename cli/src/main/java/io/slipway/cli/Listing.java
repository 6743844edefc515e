package io.slipway.cli;

import java.io.PrintWriter;
import java.util.Map;

/** Heroku's plain-text shapes: {@code === Title} headers and {@code Key: value} lines aligned on the values. */
final class Listing {
    private Listing() {}

    static void header(PrintWriter out, String title) {
        out.print("=== " + title + "\n");
    }

    /** Values are printed as they are: a multi-line value continues on the following lines unindented. */
    static void aligned(PrintWriter out, Map<String, String> rows) {
        int width = rows.keySet().stream().mapToInt(String::length).max().orElse(0) + 1;
        for (Map.Entry<String, String> row : rows.entrySet()) {
            String label = row.getKey() + ":";
            out.print(label + " ".repeat(width - label.length() + 1) + row.getValue() + "\n");
        }
    }
}
