package io.slipway.controller.build;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** A build of one pushed commit. */
public record Build(UUID id, UUID appId, int number, String status, String commit, String buildpack, String image,
                    Map<String, String> processTypes, String failure, String createdBy, Instant createdAt,
                    Instant finishedAt) {}
