package io.slipway.controller.logs;

import io.undertow.server.AbstractServerConnection;
import io.undertow.server.HttpServerExchange;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.XnioIoThread;
import org.xnio.channels.StreamSinkChannel;
import org.xnio.channels.StreamSourceChannel;

/**
 * One client reading an app's log, written without a thread of its own: everything runs on the
 * connection's IO thread, woken when lines arrive or the socket can take more. The stream holds one
 * 32 KiB buffer and a sequence number, never lines: a client slower than the app only falls behind
 * in the shared ring, and when it falls past the oldest line it reads a {@code slipway[logs]} line
 * saying how many it missed. A tail ends the moment its client disconnects.
 */
final class TailStream implements AppLog.Listener {
    static final int BUFFER_BYTES = 32 * 1024;
    private static final int IDLE = 0;
    private static final int RUNNING = 1;

    private final HttpServerExchange exchange;
    private final AppLog log;
    private final LogQuery query;
    private final long until;
    private final Runnable onEnd;
    private final XnioIoThread io;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);
    /** For a Server-Sent Events client (the Heroku CLI): each line as {@code data: <line>}, a blank line after. */
    private final ByteBuffer events;
    private ByteBuffer pending = buffer;
    private final AtomicInteger state = new AtomicInteger(RUNNING);
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile boolean logClosed;
    private StreamSinkChannel out;
    private long next;

    private TailStream(HttpServerExchange exchange, AppLog log, LogQuery query, long from, long until, Runnable onEnd,
                       boolean eventStream) {
        this.exchange = exchange;
        this.log = log;
        this.query = query;
        this.next = from;
        this.until = until;
        this.onEnd = onEnd;
        this.io = exchange.getIoThread();
        buffer.flip(); // nothing to write yet
        // Each line grows by 8 bytes, and a line takes more than 8: twice the buffer holds any read.
        this.events = eventStream ? ByteBuffer.allocate(2 * BUFFER_BYTES).flip() : null;
    }

    /**
     * Streams lines {@code from} onwards: up to {@code until} and then ends, or, for a tail
     * ({@code query.tail()}), until the client goes. Call from the handler; the response's status and
     * headers must be set. {@code onEnd} runs once, however the stream ends.
     */
    static void start(HttpServerExchange exchange, AppLog log, LogQuery query, long from, long until, Runnable onEnd) {
        start(exchange, log, query, from, until, onEnd, false);
    }

    /** As {@link #start}, as Server-Sent Events when {@code eventStream}. */
    static void start(HttpServerExchange exchange, AppLog log, LogQuery query, long from, long until, Runnable onEnd,
                      boolean eventStream) {
        TailStream stream = new TailStream(exchange, log, query, from, until, onEnd, eventStream);
        exchange.dispatch(exchange.getIoThread(), stream::begin);
    }

    private void begin() {
        try {
            out = exchange.getResponseChannel();
            out.getWriteSetter().set(ch -> pump());
            out.getCloseSetter().set(ch -> end());
            exchange.getConnection().addCloseListener(c -> end());
            if (query.tail()) {
                watchForHangUp();
                log.listen(this);
                if (log.isClosed()) {
                    logClosed = true;
                }
            }
            pump();
        } catch (RuntimeException e) {
            abort();
        }
    }

    /**
     * A tail is mostly idle, so a write would notice a vanished client only at the next line. The
     * connection's read side tells at once: the client sends nothing after its request, so readable
     * means it hung up (or sent what it should not have).
     */
    private void watchForHangUp() {
        if (!(exchange.getConnection() instanceof AbstractServerConnection connection)) {
            return;
        }
        StreamSourceChannel in = connection.getChannel().getSourceChannel();
        ByteBuffer scratch = ByteBuffer.allocate(256);
        in.getReadSetter().set(ch -> {
            try {
                int n;
                while ((n = ch.read(scratch)) > 0) {
                    scratch.clear();
                }
                if (n < 0) {
                    abort();
                }
            } catch (IOException e) {
                abort();
            }
        });
        in.resumeReads();
    }

    @Override
    public void linesAdded() {
        if (state.compareAndSet(IDLE, RUNNING)) {
            io.execute(this::pump);
        }
    }

    @Override
    public void closed() {
        logClosed = true;
        linesAdded();
    }

    /** Writes what it can, reads more from the ring, and repeats until caught up or the socket is full. IO thread only. */
    private void pump() {
        if (ended.get()) {
            return;
        }
        try {
            while (true) {
                if (pending.hasRemaining()) {
                    out.write(pending);
                    if (pending.hasRemaining()) {
                        out.resumeWrites(); // the client reads slowly: go on when it has taken some
                        return;
                    }
                }
                buffer.clear();
                AppLog.Read read = log.read(next, query.tail() ? Long.MAX_VALUE : until, query, buffer);
                next = read.next();
                buffer.flip();
                pending = events == null ? buffer : asEvents();
                if (pending.hasRemaining()) {
                    continue;
                }
                if (!query.tail() || logClosed) {
                    finish();
                    return;
                }
                if (!out.flush()) {
                    out.resumeWrites();
                    return;
                }
                out.suspendWrites();
                state.set(IDLE);
                // A line that came between the read and IDLE found the stream running and woke no one.
                if ((log.next() > next || logClosed) && state.compareAndSet(IDLE, RUNNING)) {
                    continue;
                }
                return;
            }
        } catch (IOException | RuntimeException e) {
            abort();
        }
    }

    /** The lines just read, as events: {@code data: } before each, an empty line after. */
    private ByteBuffer asEvents() {
        events.clear();
        boolean lineStart = true;
        while (buffer.hasRemaining()) {
            byte b = buffer.get();
            if (lineStart) {
                events.put(DATA);
                lineStart = false;
            }
            events.put(b);
            if (b == '\n') {
                events.put((byte) '\n');
                lineStart = true;
            }
        }
        return events.flip();
    }

    private static final byte[] DATA = "data: ".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private void finish() throws IOException {
        out.getWriteSetter().set(ChannelListeners.flushingChannelListener(ch -> complete(), (ch, e) -> abort()));
        out.shutdownWrites();
        if (out.flush()) {
            complete();
        } else {
            out.resumeWrites();
        }
    }

    private void complete() {
        end();
        exchange.endExchange();
    }

    /** The client went away or the connection failed: free everything now. */
    private void abort() {
        end();
        IoUtils.safeClose(exchange.getConnection());
    }

    private void end() {
        if (ended.compareAndSet(false, true)) {
            log.unlisten(this);
            onEnd.run();
        }
    }

    boolean isEnded() {
        return ended.get();
    }
}
