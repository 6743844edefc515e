package io.slipway.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/**
 * Heroku's plain-text shapes: {@code === Title} headers, {@code Key: value} lines aligned on the
 * values, and rows of columns padded to line up.
 */
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

    /** Rows of cells, each column as wide as its widest cell, two spaces apart; no trailing blanks. */
    static void columns(PrintWriter out, List<List<String>> rows) {
        int columns = rows.stream().mapToInt(List::size).max().orElse(0);
        int[] widths = new int[columns];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], cell(row.get(i)).length());
            }
        }
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                String cell = cell(row.get(i));
                line.append(cell);
                if (i < row.size() - 1) {
                    line.append(" ".repeat(widths[i] - cell.length() + 2));
                }
            }
            out.print(line.toString().stripTrailing() + "\n");
        }
    }

    private static String cell(String value) {
        return value == null ? "" : ApiClient.oneLine(value);
    }
}
