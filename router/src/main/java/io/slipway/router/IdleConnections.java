package io.slipway.router;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.xnio.ChannelListener;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;
import org.xnio.XnioIoThread;
import org.xnio.conduits.ConduitStreamSourceChannel;

/**
 * The keep-alive connections to one dyno that one IO thread holds while no request uses them,
 * newest last (the warmest is reused first). Touched only by its own IO thread, so it needs no lock.
 *
 * <p>A parked connection stays registered for reads: the dyno never speaks first, so anything it
 * says on an idle connection (usually its close, when its own keep-alive timeout ends) means the
 * connection is spent, and it is dropped there and then rather than found dead by the next request.
 * Keeping the registration also spares the two epoll changes per request that a suspend and a
 * resume would cost.
 */
final class IdleConnections {
    private final XnioIoThread thread;
    private final int max;
    private final long ttlNanos;
    private final ArrayDeque<Parked> parked = new ArrayDeque<>();
    /** Where a parked connection's unexpected bytes are read to tell them from a spurious wakeup. */
    private final ByteBuffer probe = ByteBuffer.allocateDirect(1);
    private boolean sweeping;
    private boolean closed;

    /** One idle connection and since when; the listener that drops it if the dyno speaks or hangs up. */
    private final class Parked implements ChannelListener<ConduitStreamSourceChannel> {
        final StreamConnection connection;
        final long since;

        Parked(StreamConnection connection, long since) {
            this.connection = connection;
            this.since = since;
        }

        @Override
        public void handleEvent(ConduitStreamSourceChannel channel) {
            try {
                probe.clear();
                if (channel.read(probe) == 0) {
                    return; // a wakeup left over from the response just read, not the dyno speaking
                }
            } catch (IOException e) {
                // reset by the dyno: spent all the same
            }
            parked.remove(this);
            IoUtils.safeClose(connection);
        }
    }

    IdleConnections(XnioIoThread thread, int max, long ttlNanos) {
        this.thread = thread;
        this.max = max;
        this.ttlNanos = ttlNanos;
    }

    /** The most recently parked connection still open and not past its idle time, or null. */
    StreamConnection take() {
        long now = System.nanoTime();
        for (Parked p = parked.pollLast(); p != null; p = parked.pollLast()) {
            if (p.connection.isOpen() && now - p.since < ttlNanos) {
                return p.connection;
            }
            IoUtils.safeClose(p.connection);
        }
        return null;
    }

    /** Keeps a connection whose last response was read to its end for the next request. */
    void park(StreamConnection connection) {
        if (closed || !connection.isOpen()) {
            IoUtils.safeClose(connection);
            return;
        }
        Parked p = new Parked(connection, System.nanoTime());
        ConduitStreamSourceChannel source = connection.getSourceChannel();
        source.setReadListener(p);
        source.resumeReads();
        parked.addLast(p);
        if (parked.size() > max) {
            IoUtils.safeClose(parked.pollFirst().connection);
        }
        if (!sweeping) {
            sweeping = true;
            thread.executeAfter(this::sweep, TimeUnit.NANOSECONDS.toMillis(ttlNanos), TimeUnit.MILLISECONDS);
        }
    }

    int size() {
        return parked.size();
    }

    /** Closes every idle connection; from any thread (the dyno left the routes). */
    void close() {
        try {
            thread.execute(this::closeAll);
        } catch (RejectedExecutionException stopped) {
            closeAll(); // the IO thread has ended (the router is stopping): nothing else touches the queue now
        }
    }

    /** Closes every idle connection and keeps taking new ones; from any thread (the dyno's node stopped answering). */
    void drop() {
        try {
            thread.execute(this::dropAll);
        } catch (RejectedExecutionException stopped) {
            // the IO thread has ended: so have its connections
        }
    }

    private void closeAll() {
        closed = true;
        dropAll();
    }

    private void dropAll() {
        for (Parked p = parked.pollFirst(); p != null; p = parked.pollFirst()) {
            IoUtils.safeClose(p.connection);
        }
    }

    /** Drops connections idle past the time to live; oldest first, so it stops at the first young one. */
    private void sweep() {
        long now = System.nanoTime();
        for (Parked p = parked.peekFirst(); p != null && now - p.since >= ttlNanos; p = parked.peekFirst()) {
            parked.pollFirst();
            IoUtils.safeClose(p.connection);
        }
        sweeping = !parked.isEmpty() && !closed;
        if (sweeping) {
            thread.executeAfter(this::sweep, TimeUnit.NANOSECONDS.toMillis(ttlNanos), TimeUnit.MILLISECONDS);
        }
    }
}
