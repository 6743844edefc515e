package io.slipway.controller.build;

import io.slipway.controller.db.Database;
import io.slipway.controller.leader.Leadership;
import io.slipway.controller.loop.ReconcileLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Fails the builds of a controller that died mid-build, which no one else would ever finish: the
 * pusher's connection went with that controller, and the build would show 'building' for good.
 * The leader looks every few seconds (a controller's sessions leave the database when it dies, so
 * its builds are then those of no running controller); each controller also looks once at start.
 */
public final class InterruptedBuilds implements AutoCloseable {
    static final Duration EVERY = Duration.ofSeconds(5);

    private final BuildService builds;
    private final Database db;
    private final String self;
    private final ReconcileLoop loop;

    public InterruptedBuilds(BuildService builds, Database db, String self) {
        this.builds = builds;
        this.db = db;
        this.self = self;
        this.loop = new ReconcileLoop("interrupted-builds", EVERY, this::look);
    }

    /** Once, before this controller takes pushes: its own earlier life's builds and those of controllers gone meanwhile. */
    public void lookOnce() {
        builds.failInterrupted(Leadership.otherControllers(db, self));
    }

    private void look() {
        List<String> running = new ArrayList<>(Leadership.otherControllers(db, self));
        running.add(self);
        builds.failInterrupted(running);
    }

    /** While this controller leads. */
    public void start() {
        loop.start();
    }

    public void stop() {
        loop.stop();
    }

    @Override
    public void close() {
        loop.close();
    }
}
