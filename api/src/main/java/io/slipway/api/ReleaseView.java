package io.slipway.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A release as the API shows it ({@code GET /apps/{app}/releases/{version}}): vN, what changed,
 * the build it runs, the config snapshot and the process types. {@code current} marks the one live.
 * {@code status} is Heroku's ({@code pending}, {@code succeeded}, {@code failed}); {@code state}
 * says more ({@code release_phase}, {@code booting}, {@code live}, {@code failed}, {@code superseded})
 * and {@code failure} why one never went live (its first line the cause, then the dyno's last lines).
 * {@code user}, {@code eligibleForRollback} and {@code addonPlanNames} are Heroku's fields, which
 * {@code heroku releases:info} and {@code heroku rollback} read: who made it, whether it has an
 * image to go back to.
 */
public record ReleaseView(int version, String description, String status, boolean current, Integer buildNumber,
                          String commit, String image, Map<String, String> processTypes,
                          Map<String, String> config, String createdBy, Instant createdAt, String state,
                          String failure, User user, boolean eligibleForRollback, List<String> addonPlanNames) {
    public record User(String email) {}
}
