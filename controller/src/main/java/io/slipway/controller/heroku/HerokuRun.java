package io.slipway.controller.heroku;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.api.RunRequest;
import io.slipway.controller.app.App;
import io.slipway.controller.auth.BearerAuth;
import io.slipway.controller.docker.DockerEngine;
import io.slipway.controller.http.JsonIO;
import io.slipway.controller.run.OneOffDynos;
import io.slipway.controller.run.RunRoutes;
import io.undertow.server.HttpServerExchange;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * {@code heroku run}'s request: {@code POST /apps/{app}/dynos} with {@code "attach": true} makes
 * the same one-off dyno as {@code slipway run} and answers it in Heroku's shape, with the
 * {@code attach_url} of the {@link Rendezvous} that holds it until the client comes.
 */
public final class HerokuRun implements RunRoutes.AttachElsewhere {
    private final OneOffDynos runs;
    private final DockerEngine docker;
    private final Rendezvous rendezvous;

    public HerokuRun(OneOffDynos runs, DockerEngine docker, Rendezvous rendezvous) {
        this.runs = runs;
        this.docker = docker;
        this.rendezvous = rendezvous;
    }

    public record Ref(String id, String name) {}

    public record ReleaseRef(String id, int version) {}

    /** Heroku's dyno, as {@code heroku run} reads it (its name, and where to attach). */
    public record HerokuDyno(String id, String name, String type, String state, String command, String size,
                             String attachUrl, Instant createdAt, Instant updatedAt, Ref app, ReleaseRef release) {}

    @Override
    public void answer(HttpServerExchange ex, App app, JsonNode body) {
        RunRequest req = JsonIO.read(body, RunRequest.class);
        // Heroku gives a TTY unless told not to (--no-tty); the CLI sends the terminal's size in env.
        boolean tty = !body.path("force_no_tty").asBoolean(false);
        Map<String, String> env = req.env() == null ? Map.of() : new LinkedHashMap<>(req.env());
        OneOffDynos.OneOff o = runs.create(app, new RunRequest(req.command(), true, tty, number(env.get("COLUMNS")),
                number(env.get("LINES")), env.isEmpty() ? null : env, req.size()), BearerAuth.principal(ex).name());
        String url = rendezvous.offer(new RunRoutes.AttachedDyno(runs, docker, o),
                "app=" + app.name() + " release=" + o.release().name() + " dyno=" + o.dyno());
        JsonIO.send(ex, 201, new HerokuDyno(UUID.nameUUIDFromBytes(o.containerId().getBytes(StandardCharsets.UTF_8)).toString(),
                o.dyno(), "run", "starting", o.command(), "standard", url, o.createdAt(), o.createdAt(),
                new Ref(app.id().toString(), app.name().value()), new ReleaseRef(o.release().id().toString(), o.release().version())));
    }

    private static Integer number(String s) {
        try {
            return s == null ? null : Integer.valueOf(s.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
