package io.slipway.controller.run;

import io.slipway.api.RunRequest;
import io.slipway.api.RunView;
import io.slipway.controller.app.App;
import io.slipway.controller.app.AppService;
import io.slipway.controller.auth.BearerAuth;
import io.slipway.controller.docker.DockerEngine;
import io.slipway.controller.http.ApiException;
import io.slipway.controller.http.JsonIO;
import io.slipway.controller.http.Routes;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.util.Headers;
import io.undertow.websockets.WebSocketConnectionCallback;
import io.undertow.websockets.WebSocketProtocolHandshakeHandler;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedBinaryMessage;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.WebSocketChannel;
import java.io.IOException;
import java.nio.ByteBuffer;

/** {@code POST /apps/{app}/dynos} (a detached one-off) and {@code GET /apps/{app}/run} (attached, a WebSocket). */
public final class RunRoutes {
    private final AppService apps;
    private final OneOffDynos runs;
    private final DockerEngine docker;

    public RunRoutes(AppService apps, OneOffDynos runs, DockerEngine docker) {
        this.apps = apps;
        this.runs = runs;
        this.docker = docker;
    }

    public void register(RoutingHandler routes) {
        routes.post("/apps/{app}/dynos", ex -> {
            App app = apps.get(Routes.param(ex, "app"));
            RunRequest req = JsonIO.read(ex, RunRequest.class);
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
        AttachSession session = new AttachSession(runs, docker, app, by, channel);
        channel.getReceiveSetter().set(new AbstractReceiveListener() {
            @Override
            protected void onFullTextMessage(WebSocketChannel ch, BufferedTextMessage message) {
                session.onText(message.getData());
            }

            @Override
            protected void onFullBinaryMessage(WebSocketChannel ch, BufferedBinaryMessage message) throws IOException {
                var data = message.getData();
                try {
                    for (ByteBuffer b : data.getResource()) {
                        session.onBinary(b);
                    }
                } finally {
                    data.free();
                }
            }

            @Override
            protected void onCloseMessage(io.undertow.websockets.core.CloseMessage cm, WebSocketChannel ch) {
                session.onClosed();
            }
        });
        channel.addCloseTask(ch -> session.onClosed());
        channel.resumeReceives();
    }
}
