package io.slipway.controller.dyno;

import io.slipway.controller.logs.LogSink;
import java.util.List;
import java.util.UUID;

/**
 * The scheduler seam (SLIPWAY_SCHEDULER): what the API, the deploy path and app removal ask of
 * whoever runs the dynos. {@link DynoManager} runs them as containers on the one Docker engine;
 * {@code swarm.SwarmDynoManager} runs them as Docker Swarm services across nodes. Both keep the
 * same dyno rows, which the API and the routers read.
 */
public interface Dynos extends AutoCloseable {

    /** What a requested restart covers: the dynos by name, and how many of them are web dynos (they roll). */
    record RestartRequest(List<String> dynos, int web) {}

    /** Where dyno events ({@code slipway[web.1]: State changed from up to crashed}) go: the app's log stream. */
    void logTo(LogSink sink);

    void start();

    /** Stops reconciling (this controller lost the lead) until the next {@link #start}; dynos keep running. */
    void stop();

    /** Reconcile now rather than at the next tick. */
    void wake();

    /** The app's dynos as last reconciled. */
    List<DynoStore.Row> dynos(UUID appId);

    /** Restarts the app's dynos matching {@code selector} (all when null, a type, or a dyno like {@code web.1}). */
    RestartRequest restart(UUID appId, String app, String selector, String what);

    /** Stops and removes every dyno of an app that is being destroyed, before its image goes. */
    void removeApp(String app);

    @Override
    void close();
}
