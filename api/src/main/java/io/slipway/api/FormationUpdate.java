package io.slipway.api;

import java.util.List;

/** {@code PATCH /apps/{app}/formation}: Heroku's batch shape, {@code {"updates":[{"type":"web","quantity":3}]}}. */
public record FormationUpdate(List<Item> updates) {
    /** One type's new quantity (and optionally size). */
    public record Item(String type, Integer quantity, String size) {}
}
