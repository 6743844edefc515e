package io.slipway.controller.heroku;

import io.slipway.controller.app.App;
import io.slipway.controller.app.AppService;
import io.slipway.controller.http.ApiException;
import io.slipway.controller.http.JsonIO;
import io.slipway.controller.http.Routes;
import io.slipway.controller.logs.LogRoutes;
import io.slipway.controller.logs.LogService;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.util.Headers;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Heroku's log sessions ({@code heroku logs}): {@code POST /apps/{app}/log-sessions} answers a
 * {@code logplex_url} holding a random secret, good for one minute, under {@link #PATH}; fetching it
 * streams the app's log, as {@code GET /apps/{app}/log-stream} does, as Server-Sent Events.
 */
public final class LogSessions {
    /** Open in the auth chain: the URL's secret is its credential, as Heroku's logplex URLs. */
    public static final String PATH = "/log-sessions/";
    static final Duration VALID_FOR = Duration.ofMinutes(1);

    private record Session(String app, Map<String, Deque<String>> query, Instant expires) {}

    private final AppService apps;
    private final LogService logs;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();

    public LogSessions(AppService apps, LogService logs, Clock clock) {
        this.apps = apps;
        this.logs = logs;
        this.clock = clock;
    }

    public void register(RoutingHandler routes) {
        routes.post("/apps/{app}/log-sessions", this::create);
        routes.get(PATH + "{secret}", this::stream);
    }

    private void create(HttpServerExchange ex) {
        App app = apps.get(Routes.param(ex, "app"));
        var body = JsonIO.readTree(ex);
        Map<String, Deque<String>> query = new HashMap<>();
        for (String field : new String[] {"lines", "tail", "dyno", "source"}) {
            var value = body.path(field);
            if (!value.isMissingNode() && !value.isNull()) {
                query.put(field, new ArrayDeque<>(java.util.List.of(value.asText())));
            }
        }
        Instant now = clock.instant();
        sessions.values().removeIf(s -> s.expires().isBefore(now));
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        sessions.put(secret, new Session(app.name().value(), query, now.plus(VALID_FOR)));
        // The URL the client reached the API by: the log stream is on the same listener.
        String base = ex.getRequestScheme() + "://" + ex.getRequestHeaders().getFirst(Headers.HOST);
        JsonIO.send(ex, 201, new LogSession(secret.substring(0, 8), base + PATH + secret, now, now));
    }

    public record LogSession(String id, String logplexUrl, Instant createdAt, Instant updatedAt) {}

    private void stream(HttpServerExchange ex) {
        Session session = sessions.remove(Routes.param(ex, "secret"));
        if (session == null || session.expires().isBefore(clock.instant())) {
            throw ApiException.notFound("no such log session, or it expired: a log session URL serves once, within "
                    + VALID_FOR.toSeconds() + "s; ask for a new one (heroku logs does)");
        }
        LogRoutes.serve(ex, logs, session.app(), session.query(), true);
    }
}
