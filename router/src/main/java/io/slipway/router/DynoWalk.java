package io.slipway.router;

/**
 * The order in which one request tries an app's dynos: round robin from where the last request
 * started, skipping dynos out of rotation, each dyno once. Only when every dyno is out of rotation
 * are they tried anyway (a cooldown must not turn a recovering app away). The walk moves on when a
 * connection could not be made, and for a request without a body of an idempotent method also when
 * the dyno closed the connection before answering ({@link DynoForwarder}); any other request that
 * reached a dyno is never sent twice.
 */
final class DynoWalk {
    private final AppRoute route;
    private final DynoPools pools;
    private final int start;
    private final int n;
    private int tried;
    private boolean outOfRotationToo;
    private boolean triedOneInRotation;

    DynoWalk(AppRoute route, DynoPools pools) {
        this.route = route;
        this.pools = pools;
        this.start = route.nextStart();
        this.n = route.backends().size();
    }

    /** The index of the next dyno to try, or -1 when the walk is over. */
    int next() {
        while (tried < 2 * n) {
            int i = tried++;
            if (i == n) {
                if (triedOneInRotation) {
                    return -1; // at least one in-rotation dyno was tried: do not knock on the others
                }
                outOfRotationToo = true;
            }
            int index = (start + i) % n;
            if (!outOfRotationToo) {
                if (!route.pool(index, pools).inRotation()) {
                    continue;
                }
                triedOneInRotation = true;
            }
            return index;
        }
        return -1;
    }
}
