package io.slipway.controller.heroku;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.controller.http.ApiException;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Heroku's {@code Range} header on list requests
 * (https://devcenter.heroku.com/articles/platform-api-reference#ranges):
 * {@code <field> [[]<first>]..[<last>][; max=<n>][, order=asc|desc]}, e.g. {@code version ..; max=10, order=desc}
 * or the {@code Next-Range} of an earlier page, {@code id ]01f3..; max=200}. First and last are in the
 * order asked for; a {@code ]} before the first leaves the first itself out.
 *
 * @param first     null for the start of the list
 * @param last      null for its end
 */
record Range(String field, String first, boolean firstExcluded, String last, int max, boolean descending) {
    static final int DEFAULT_MAX = 200;
    static final int MOST = 1000;
    static final int UNSATISFIABLE = 416;

    /** One page of a list, and the Range of the next when there is more. */
    record Page(List<JsonNode> items, String nextRange, String contentRange) {
        boolean partial() {
            return nextRange != null;
        }
    }

    /** The header as sent, for a list sortable by {@code fields}; a 416 saying what is wrong otherwise. */
    static Range parse(String header, Set<String> fields) {
        String[] parts = header.strip().split(";", 2);
        String[] head = parts[0].strip().split("\\s+", 2);
        String field = head[0];
        if (!fields.contains(field)) {
            throw invalid(header, "'" + field + "' is not a field this list is sorted by; use one of " + String.join(", ", fields.stream().sorted().toList()));
        }
        String span = head.length > 1 ? head[1].strip() : "..";
        int dots = span.indexOf("..");
        if (dots < 0) {
            throw invalid(header, "the range '" + span + "' has no '..' (write '..' for all, '5..' from 5, ']5..' after 5)");
        }
        String first = span.substring(0, dots);
        boolean excluded = first.startsWith("]");
        first = excluded ? first.substring(1) : first;
        String last = span.substring(dots + 2);
        int max = DEFAULT_MAX;
        boolean descending = false;
        for (String param : (parts.length > 1 ? parts[1] : "").split("[;,]")) {
            if (param.isBlank()) {
                continue;
            }
            String[] kv = param.strip().split("=", 2);
            String value = kv.length > 1 ? kv[1].strip() : "";
            switch (kv[0].strip().toLowerCase(Locale.ROOT)) {
                case "max" -> max = max(header, value);
                case "order" -> descending = switch (value.toLowerCase(Locale.ROOT)) {
                    case "asc" -> false;
                    case "desc" -> true;
                    default -> throw invalid(header, "order is asc or desc, not '" + value + "'");
                };
                default -> throw invalid(header, "'" + kv[0].strip() + "' is not a range parameter; use max=N and order=asc|desc");
            }
        }
        return new Range(field, first.isEmpty() ? null : first, excluded, last.isEmpty() ? null : last, max, descending);
    }

    /** The same range over another field. */
    Range by(String other) {
        return new Range(other, first, firstExcluded, last, max, descending);
    }

    /** This range of {@code items} (JSON objects carrying {@link #field}), sorted, at most {@link #max}. */
    Page apply(List<JsonNode> items) {
        for (String bound : java.util.Arrays.asList(first, last)) {
            if (bound != null && items.stream().anyMatch(n -> n.path(field).isNumber()) && !bound.matches("-?\\d+(\\.\\d+)?")) {
                throw invalid(field + " " + (firstExcluded ? "]" : "") + (first == null ? "" : first) + ".." + (last == null ? "" : last),
                        field + " is a number here, not '" + bound + "'");
            }
        }
        Comparator<JsonNode> order = Comparator.comparing((JsonNode n) -> n.get(field), Range::compare);
        if (descending) {
            order = order.reversed();
        }
        List<JsonNode> sorted = items.stream().sorted(order).toList();
        List<JsonNode> inRange = sorted.stream().filter(n -> {
            int fromFirst = first == null ? 1 : directed(compare(n.get(field), first));
            int toLast = last == null ? -1 : directed(compare(n.get(field), last));
            return (firstExcluded ? fromFirst > 0 : fromFirst >= 0) && toLast <= 0;
        }).toList();
        List<JsonNode> page = inRange.subList(0, Math.min(max, inRange.size()));
        String content = page.isEmpty() ? null : field + " " + text(page.getFirst()) + ".." + text(page.getLast());
        String next = inRange.size() <= max ? null : field + " ]" + text(page.getLast()) + ".." + (last == null ? "" : last)
                + "; max=" + max + ", order=" + (descending ? "desc" : "asc");
        return new Page(page, next, content);
    }

    private int directed(int comparison) {
        return descending ? -comparison : comparison;
    }

    private String text(JsonNode item) {
        return item.get(field).asText();
    }

    /** Numbers as numbers (a version 10 after 9), everything else (ids, names, ISO times) as text; nulls first. */
    private static int compare(JsonNode a, JsonNode b) {
        boolean aNull = a == null || a.isNull();
        boolean bNull = b == null || b.isNull();
        if (aNull || bNull) {
            return Boolean.compare(!aNull, !bNull);
        }
        return a.isNumber() && b.isNumber() ? Double.compare(a.asDouble(), b.asDouble()) : a.asText().compareTo(b.asText());
    }

    private static int compare(JsonNode value, String bound) {
        if (value != null && value.isNumber()) {
            try {
                return Double.compare(value.asDouble(), Double.parseDouble(bound));
            } catch (NumberFormatException e) {
                return value.asText().compareTo(bound);
            }
        }
        return value == null || value.isNull() ? -1 : value.asText().compareTo(bound);
    }

    private static int max(String header, String value) {
        try {
            int max = Integer.parseInt(value);
            if (max >= 1 && max <= MOST) {
                return max;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw invalid(header, "max is a number from 1 to " + MOST + ", not '" + value + "'");
    }

    private static ApiException invalid(String header, String why) {
        return new ApiException(UNSATISFIABLE, "requested_range_not_satisfiable",
                "invalid Range header '" + header + "': " + why + " (the form is '<field> [first]..[last]; max=N, order=asc|desc')");
    }
}
