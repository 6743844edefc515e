package io.slipway.api;

import java.time.Instant;
import java.util.Map;

/**
 * A release as the API shows it ({@code GET /apps/{app}/releases/{version}}): vN, what changed,
 * the build it runs, the config snapshot and the process types. {@code current} marks the one live.
 */
public record ReleaseView(int version, String description, String status, boolean current, Integer buildNumber,
                          String commit, String image, Map<String, String> processTypes,
                          Map<String, String> config, String createdBy, Instant createdAt) {}
