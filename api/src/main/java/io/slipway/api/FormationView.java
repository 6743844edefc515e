package io.slipway.api;

/** One process type's desired scale ({@code GET /apps/{app}/formation}). */
public record FormationView(String type, int quantity, String size, String command) {}
