package io.slipway.controller.heroku;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.api.Json;
import io.slipway.controller.http.JsonIO;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Answers a list as Heroku's API does when the client sends {@code Range}: sorted, one page, 206 with
 * {@code Next-Range} when there is more, 200 when all of it fits. A request without {@code Range}
 * (Slipway's own CLI) gets the whole list as before.
 */
public final class RangedList {
    private static final HttpString RANGE = HttpString.tryFromString("Range");
    private static final HttpString NEXT_RANGE = HttpString.tryFromString("Next-Range");
    private static final HttpString CONTENT_RANGE = HttpString.tryFromString("Content-Range");
    private static final HttpString ACCEPT_RANGES = HttpString.tryFromString("Accept-Ranges");

    private RangedList() {}

    /**
     * @param key    the field that identifies an item, which a Range on {@code id} sorts by (Heroku's clients page
     *               every list by {@code id}; a Slipway domain is known by its hostname, a release by its version)
     * @param others the other fields of each item (as JSON) a Range may sort by
     */
    public static void send(HttpServerExchange ex, List<?> items, String key, String... others) {
        String header = ex.getRequestHeaders().getFirst(RANGE);
        if (header == null || header.isBlank()) {
            JsonIO.send(ex, 200, items);
            return;
        }
        Set<String> fields = new java.util.TreeSet<>(List.of(others));
        fields.add("id");
        fields.add(key);
        Range range = Range.parse(header, fields);
        if (range.field().equals("id")) {
            range = range.by(key);
        }
        List<JsonNode> nodes = new ArrayList<>();
        Json.mapper().valueToTree(items).forEach(nodes::add);
        Range.Page page = range.apply(nodes);
        ex.getResponseHeaders().put(ACCEPT_RANGES, String.join(", ", fields));
        if (page.contentRange() != null) {
            ex.getResponseHeaders().put(CONTENT_RANGE, page.contentRange());
        }
        if (page.partial()) {
            ex.getResponseHeaders().put(NEXT_RANGE, page.nextRange());
        }
        JsonIO.send(ex, page.partial() ? 206 : 200, page.items());
    }
}
