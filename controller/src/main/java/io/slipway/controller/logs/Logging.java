package io.slipway.controller.logs;

import io.slipway.keys.LogKey;
import io.slipway.controller.app.AppService;
import io.slipway.controller.swarm.Scheduler;
import io.undertow.server.RoutingHandler;
import java.net.URI;
import java.nio.file.Path;
import java.util.function.Predicate;

/**
 * The log stream's parts, started and stopped together: the buffers ({@link LogService}), dyno
 * output from Docker ({@link DynoOutput}, or {@link TaskOutput} from a Swarm's nodes), router lines
 * over UDP ({@link RouterLogListener}) and the {@code log-stream} route.
 */
public final class Logging implements AutoCloseable {
    private final LogService service;
    private final RouterLogListener router;
    private final OutputFollows dynos;

    private Logging(LogService service, RouterLogListener router, OutputFollows dynos) {
        this.service = service;
        this.router = router;
        this.dynos = dynos;
    }

    /**
     * @param home      {@code SLIPWAY_HOME}: buffers go under {@code logs/apps}
     * @param udpPort   where routers send their lines ({@code SLIPWAY_LOG_PORT})
     * @param platform  the label value of this platform's containers
     * @param scheduler  who runs the dynos: their output is read from the engine's containers or,
     *                   in Swarm mode, from the tasks that the engine (a manager) serves the logs of
     * @param dockerHost the controller's Docker engine
     * @param appExists  whether an app of that name exists
     */
    public static Logging start(Path home, int udpPort, String platform, Scheduler scheduler, URI dockerHost,
                                Predicate<String> appExists) {
        LogService service = new LogService(LogService.Settings.under(home), appExists);
        RouterLogListener router;
        try {
            router = RouterLogListener.start(udpPort, LogKey.underHome(home), service);
        } catch (RuntimeException e) {
            service.close();
            throw e;
        }
        return new Logging(service, router, OutputFollows.start(dockerHost, service,
                scheduler == Scheduler.SWARM ? new TaskOutput(platform) : new DynoOutput(platform)));
    }

    /** Where every part of the platform writes an app's lines. */
    public LogSink sink() {
        return service;
    }

    /** Deletes an app's log: call when the app is destroyed. */
    public void remove(String app) {
        service.remove(app);
    }

    public void register(RoutingHandler routes, AppService apps) {
        new LogRoutes(apps, service).register(routes);
    }

    /** The UDP port router lines are taken on. */
    /** The log store, for other transports of it (Heroku's log sessions). */
    public LogService service() {
        return service;
    }

    public int udpPort() {
        return router.port();
    }

    @Override
    public void close() {
        dynos.close();
        router.close();
        service.close();
    }
}
