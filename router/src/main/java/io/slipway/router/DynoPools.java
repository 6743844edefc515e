package io.slipway.router;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.xnio.OptionMap;
import org.xnio.Options;

/** A {@link DynoPool} per routable dyno, created on first use and closed when the dyno leaves the routes. */
final class DynoPools implements AutoCloseable {
    private final ConcurrentHashMap<Backend, DynoPool> pools = new ConcurrentHashMap<>();
    private final DynoPool.Tuning tuning;
    private final OptionMap clientOptions = OptionMap.builder()
            .set(Options.TCP_NODELAY, true)
            .set(Options.KEEP_ALIVE, true)
            .getMap();

    DynoPools(DynoPool.Tuning tuning) {
        this.tuning = tuning;
    }

    DynoPool get(Backend backend) {
        DynoPool p = pools.get(backend);
        return p != null ? p : pools.computeIfAbsent(backend, b -> new DynoPool(b, tuning, clientOptions));
    }

    /** Closes the pools of dynos no longer routable (their idle connections go with them). */
    void retainOnly(Set<Backend> routable) {
        pools.entrySet().removeIf(e -> {
            if (routable.contains(e.getKey())) {
                return false;
            }
            e.getValue().close();
            return true;
        });
    }

    /**
     * There is no route to a node any more (it left the network): every dyno at that address sits
     * out, its idle connections go, and the requests waiting on it that heard nothing yet move on
     * (see {@link DynoPool#unreachable}). Loopback never goes down this way.
     */
    void hostDown(String host) {
        pools.values().forEach(p -> {
            if (p.backend().host().equals(host)) {
                p.unreachable("no route to its node " + host);
            }
        });
    }

    @Override
    public void close() {
        pools.values().forEach(DynoPool::close);
        pools.clear();
    }
}
