package io.slipway.api;

import java.time.Instant;
import java.util.Map;

/** A build as the API shows it ({@code GET /apps/{app}/builds}). */
public record BuildView(String id, int number, String status, String commit, String buildpack, String image,
                        Map<String, String> processTypes, String failure, String createdBy,
                        Instant createdAt, Instant finishedAt) {}
