package io.slipway.controller.run;

import io.slipway.api.Json;
import io.slipway.api.RunRequest;
import io.slipway.api.RunView;
import io.slipway.controller.app.App;
import io.slipway.controller.app.AppService;
import io.slipway.controller.auth.BearerAuth;
import io.slipway.controller.docker.DockerEngine;
import io.slipway.controller.http.ApiException;
import io.slipway.controller.docker.RawAttach;
import io.slipway.controller.http.JsonIO;
import io.slipway.controller.http.Routes;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.util.Headers;
import io.undertow.websockets.WebSocketConnectionCallback;
import io.undertow.websockets.WebSocketProtocolHandshakeHandler;
import io.undertow.websockets.core.WebSocketChannel;
import java.io.IOException;

/** {@code POST /apps/{app}/dynos} (a detached one-off) and {@code GET /apps/{app}/run} (attached, a WebSocket). */
public final class RunRoutes {
    private final AppService apps;
    private final OneOffDynos runs;
    private final DockerEngine docker;
    private final AttachElsewhere elsewhere;

    /**
     * A one-off dyno asked for with {@code "attach": true} on {@code POST /apps/{app}/dynos}, whose
     * client attaches somewhere other than the WebSocket: Heroku's rendezvous ({@code heroku run}).
     */
    @FunctionalInterface
    public interface AttachElsewhere {
        void answer(HttpServerExchange ex, App app, com.fasterxml.jackson.databind.JsonNode request) throws Exception;

        AttachElsewhere NONE = (ex, app, request) -> {
            throw ApiException.invalid("attached runs on POST /apps/" + app.name() + "/dynos are served by Heroku's "
                    + "rendezvous, which this platform has off (SLIPWAY_RENDEZVOUS_PORT=off): use 'slipway run -a "
                    + app.name() + " -- COMMAND', or run it detached");
        };
    }

    public RunRoutes(AppService apps, OneOffDynos runs, DockerEngine docker) {
        this(apps, runs, docker, AttachElsewhere.NONE);
    }

    public RunRoutes(AppService apps, OneOffDynos runs, DockerEngine docker, AttachElsewhere elsewhere) {
        this.apps = apps;
        this.runs = runs;
        this.docker = docker;
        this.elsewhere = elsewhere;
    }

    public void register(RoutingHandler routes) {
        routes.post("/apps/{app}/dynos", ex -> {
            App app = apps.get(Routes.param(ex, "app"));
            var body = JsonIO.readTree(ex);
            RunRequest req = JsonIO.read(body, RunRequest.class);
            if (Boolean.TRUE.equals(req.attach())) {
                elsewhere.answer(ex, app, body);
                return;
            }
            OneOffDynos.OneOff o = runs.create(app, new RunRequest(req.command(), false, false, null, null, req.env(), req.size()),
                    BearerAuth.principal(ex).name());
            runs.startDetached(o);
            JsonIO.send(ex, 201, new RunView(o.dyno(), "up", o.command(), o.release().name(), o.createdAt()));
        });
        routes.get("/apps/{app}/run", ex -> {
            App app = apps.get(Routes.param(ex, "app"));
            requireWebSocketUpgrade(ex, app);
            String by = BearerAuth.principal(ex).name();
            WebSocketConnectionCallback onConnect = (http, channel) -> attach(app, by, channel);
            new WebSocketProtocolHandshakeHandler(onConnect).handleRequest(ex);
        });
    }

    /** Without this, the handshake handler answers a plain GET with an empty 404, which tells nobody anything. */
    private static void requireWebSocketUpgrade(HttpServerExchange ex, App app) {
        String upgrade = ex.getRequestHeaders().getFirst(Headers.UPGRADE);
        if (upgrade == null || !upgrade.equalsIgnoreCase("websocket")) {
            ex.getResponseHeaders().put(Headers.UPGRADE, "websocket");
            throw new ApiException(426, "upgrade_required", "GET /apps/" + app.name() + "/run is the attach WebSocket of "
                    + "'slipway run' and needs an 'Upgrade: websocket' request: use 'slipway run -a " + app.name()
                    + " -- COMMAND', or POST /apps/" + app.name() + "/dynos for a detached one-off dyno");
        }
    }

    private void attach(App app, String by, WebSocketChannel channel) {
        AttachSession.serve(channel, "app=" + app.name(), first -> new AttachedDyno(runs, docker,
                runs.create(app, Json.mapper().readValue(first, RunRequest.class).attached(), by)));
    }

    /** A one-off dyno as an attached session runs it. */
    public record AttachedDyno(OneOffDynos runs, DockerEngine docker, OneOffDynos.OneOff dyno) implements Attached {
        @Override
        public String name() {
            return dyno.dyno();
        }

        @Override
        public boolean tty() {
            return dyno.tty();
        }

        @Override
        public RawAttach attach() throws IOException {
            return RawAttach.open(docker.host(), dyno.containerId(), dyno.tty());
        }

        @Override
        public void start() {
            runs.start(dyno);
        }

        @Override
        public int awaitExit() {
            return runs.waitFor(dyno, runs.maxTime());
        }

        @Override
        public void resize(int columns, int lines) {
            docker.client().resizeContainerCmd(dyno.containerId()).withSize(lines, columns).exec();
        }

        @Override
        public void stop() {
            runs.stop(dyno);
        }

        @Override
        public void remove() {
            runs.remove(dyno);
        }
    }
}
