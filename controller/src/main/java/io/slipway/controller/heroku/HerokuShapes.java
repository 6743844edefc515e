package io.slipway.controller.heroku;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.slipway.api.Account;
import io.slipway.api.AppInfo;
import io.slipway.controller.auth.Principal;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Slipway's answers with the fields the Heroku CLI reads besides Slipway's own (Heroku's Platform
 * API shapes). Each wraps Slipway's view unchanged, so Slipway's CLI reads what it always read.
 */
public final class HerokuShapes {
    /** Every app on a Slipway platform runs on the same stack in the one region the platform is. */
    static final String STACK = "heroku-24";
    static final String REGION = "local";

    private HerokuShapes() {}

    public record Named(String name) {}

    public record Owner(String id, String email) {}

    /** {@code GET /account}: Heroku's {@code id} and {@code email} ({@code auth:whoami} prints the email). */
    public record HerokuAccount(@JsonUnwrapped Account account, String id, String email) {}

    /**
     * An app as {@code apps}, {@code apps:info} and {@code ps} read it. The owner is whoever asks:
     * a Slipway platform has one team, so every app is the asking user's own.
     */
    public record HerokuApp(@JsonUnwrapped AppInfo app, Owner owner, Named region, Named stack, Named buildStack,
                            Named generation, boolean acm, String createStatus, long repoSize, long slugSize) {}

    /**
     * Whether the client asked for Heroku's media type ({@code Accept: application/vnd.heroku+json; version=3},
     * as every Heroku client does); Slipway's CLI asks for {@code application/json}. Only where the two
     * must differ (a list Slipway shows in parts) does an answer depend on it.
     */
    public static boolean asked(io.undertow.server.HttpServerExchange ex) {
        String accept = ex.getRequestHeaders().getFirst(io.undertow.util.Headers.ACCEPT);
        return accept != null && accept.startsWith("application/vnd.heroku+json");
    }

    public static HerokuAccount account(Principal who) {
        return new HerokuAccount(new Account(who.name(), who.tokenDescription()), userId(who), who.name());
    }

    /**
     * @param repoSize bytes the app's git repository takes on disk
     * @param acm      whether automatic certificates are on for it
     */
    public static HerokuApp app(AppInfo app, Principal who, long repoSize, boolean acm) {
        // A slug is a Docker image here; its size is not tracked yet, and the CLI needs a number.
        return new HerokuApp(app, new Owner(userId(who), who.name()), new Named(REGION), new Named(STACK),
                new Named(STACK), new Named("cedar"), acm, "complete", repoSize, 0);
    }

    /** A stable id for a user, as Heroku's API has one; Slipway knows users by name. */
    static String userId(Principal who) {
        return UUID.nameUUIDFromBytes(("slipway-user:" + who.name()).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
