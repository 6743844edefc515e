package io.slipway.api;

import java.util.List;

/**
 * {@code pg:info}: one PostgreSQL add-on attached to the app, as its server reports it
 * ({@code serverVersion}, the database's {@code sizeBytes}, open {@code connections} and user
 * {@code tables}); those are null when the add-on is not available ({@code state} says so).
 */
public record PgInfoView(String name, List<String> attachedAs, String state, String serverVersion, Long sizeBytes,
                         Integer connections, Integer tables) {}
