package io.slipway.controller.dyno;

import io.slipway.controller.logs.LogSink;
import io.slipway.controller.loop.ReconcileLoop;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What both schedulers share: a level-triggered {@link ReconcileLoop} over the dyno rows of
 * {@link DynoStore}, restarts recorded as requests the next pass carries out, and the app's log
 * stream for dyno events. A scheduler supplies only its pass ({@link #tick()}) and its app removal.
 */
public abstract class ReconcilingDynos implements Dynos {
    private static final Logger log = LoggerFactory.getLogger(ReconcilingDynos.class);

    protected final DynoStore store;
    protected final Clock clock;
    protected final ReconcileLoop loop;
    /** Slow work a pass hands off (starting, probing, stopping) so that the next pass is not held up. */
    protected final ExecutorService background = Executors.newVirtualThreadPerTaskExecutor();
    /** Where dyno events ({@code slipway[web.1]: State changed from up to crashed}) go: the app's log stream. */
    protected volatile LogSink events = LogSink.NULL;

    protected ReconcilingDynos(String loopName, DynoStore store, Clock clock, Duration tick) {
        this.store = store;
        this.clock = clock;
        this.loop = new ReconcileLoop(loopName, tick, this::tick);
    }

    /** One pass over every app: read what runs, plan, act, save the rows. */
    protected abstract void tick();

    @Override
    public void logTo(LogSink sink) {
        this.events = sink;
    }

    @Override
    public void start() {
        loop.start();
    }

    @Override
    public void stop() {
        loop.stop();
    }

    /** Reconcile now rather than at the next tick (after a scale, a release, a crash event); a no-op before {@link #start}. */
    @Override
    public void wake() {
        loop.wake();
    }

    /** The app's dynos as last reconciled. */
    @Override
    public List<DynoStore.Row> dynos(UUID appId) {
        return store.sorted(appId);
    }

    /**
     * Restarts the app's dynos matching {@code selector} by recording the request; the reconcile
     * loop then replaces them, web dynos with the fresh one routable before the old one stops.
     * {@code ps:stop} is the same act: a stopped dyno of the formation is started afresh, as on Heroku.
     */
    @Override
    public RestartRequest restart(UUID appId, String app, String selector, String what) {
        RestartRequest request = store.requestRestart(appId, app, selector, what, clock.instant(), events);
        if (!request.dynos().isEmpty()) {
            log.info("app={} {} on request: {}", app, what, String.join(", ", request.dynos()));
            wake();
        }
        return request;
    }

    @Override
    public void close() {
        loop.close();
        background.shutdownNow();
    }
}
