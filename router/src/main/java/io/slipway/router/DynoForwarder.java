package io.slipway.router;

import io.undertow.conduits.ChunkedStreamSourceConduit;
import io.undertow.conduits.FixedLengthStreamSourceConduit;
import io.undertow.connector.ByteBufferPool;
import io.undertow.connector.PooledByteBuffer;
import io.undertow.io.IoCallback;
import io.undertow.io.Sender;
import io.undertow.server.AbstractServerConnection;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.HttpString;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.PooledAdaptor;
import io.undertow.util.SameThreadExecutor;
import io.undertow.util.Transfer;
import java.io.IOException;
import java.net.NoRouteToHostException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.ChannelExceptionHandler;
import org.xnio.ChannelListener;
import org.xnio.ChannelListeners;
import org.xnio.IoFuture;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.StreamConnection;
import org.xnio.XnioExecutor;
import org.xnio.XnioIoThread;
import org.xnio.channels.StreamSinkChannel;
import org.xnio.channels.StreamSourceChannel;
import org.xnio.conduits.ConduitStreamSinkChannel;
import org.xnio.conduits.ConduitStreamSourceChannel;
import org.xnio.conduits.PushBackStreamSourceConduit;
import org.xnio.conduits.StreamSourceConduit;

/**
 * Forwards requests without a body, the bulk of an app's traffic, to a dyno over keep-alive
 * connections of the router's own, on the IO thread that read the request. A request costs four
 * system calls here, as in nginx: read it, write it to the dyno, read the answer, write the answer.
 * Undertow's proxy, which the router keeps for requests with a body and for upgrades, made seven
 * and spent about a sixth more CPU per request on its general machinery (measured with
 * bench/router.sh, strace -c and the threads' CPU time; see issue 5).
 *
 * <p>The request line and headers go out in one write ({@link RequestHead}); the dyno's head is
 * read into one pooled buffer ({@link ResponseHead}). A response whose whole body came with its
 * head, the usual case, goes to the client in one gathering write with the head. Any other body is
 * streamed through Undertow's fixed-length or chunked decoder, never buffered whole, and with the
 * client's pace setting the dyno's. A connection is reused only when its response ended where its
 * framing said it would; after a chunked or close-delimited body it is closed.
 */
final class DynoForwarder {
    private static final Logger log = LoggerFactory.getLogger(DynoForwarder.class);
    /**
     * How long a connect to a dyno on another node may take. One in a network of nodes takes well
     * under a millisecond; 3.5 s lets two SYNs that were dropped be sent again (after 1 s and 2 s
     * more), as a busy dyno's full listen backlog drops them, and no more. Loopback has none: a
     * dyno there refuses at once or is merely busy.
     */
    static final long CONNECT_TIMEOUT_MS = 3_500;
    private static final OptionMap DYNO_SOCKET = OptionMap.builder()
            .set(Options.TCP_NODELAY, true)
            .set(Options.KEEP_ALIVE, true)
            .getMap();

    private final DynoPools pools;

    DynoForwarder(DynoPools pools) {
        this.pools = pools;
    }

    /** Requests this forwarder takes: no body and no upgrade. The rest go to Undertow's proxy. */
    static boolean takes(HttpServerExchange exchange) {
        HeaderMap h = exchange.getRequestHeaders();
        if (h.contains(Headers.TRANSFER_ENCODING) || h.contains(Headers.UPGRADE) || exchange.getRequestMethod().equals(Methods.CONNECT)) {
            return false;
        }
        String length = h.getFirst(Headers.CONTENT_LENGTH);
        return length == null || length.equals("0");
    }

    /** Sends the exchange's request to one of its app's dynos; the exchange ends with the dyno's answer or the router's. */
    void forward(HttpServerExchange exchange, Forwarding f) {
        Trip trip = new Trip(exchange, f);
        f.cutOff = trip::cutOff;
        keepReadInterest(exchange);
        exchange.dispatch(SameThreadExecutor.INSTANCE, trip::next);
    }

    /**
     * Undertow's read listener has just suspended reads on the client's connection, and resumes
     * them when the exchange completes. With Java's epoll selector that is two {@code epoll_ctl}
     * calls for every request (the socket leaves epoll, then comes back). Suspending and resuming
     * within the same turn of the event loop cancel out, so reads are resumed again here, with a
     * listener that suspends them only if the client really sends something (a pipelined request,
     * or its close) while its request is at a dyno. What it sent stays unread until the exchange
     * completes (RoutingTest covers both cases).
     */
    private static void keepReadInterest(HttpServerExchange exchange) {
        if (exchange.getConnection() instanceof AbstractServerConnection c && exchange.isInIoThread()) {
            ConduitStreamSourceChannel client = c.getChannel().getSourceChannel();
            client.setReadListener(SUSPEND_ON_READ);
            client.resumeReads();
        }
    }

    private static final ChannelListener<ConduitStreamSourceChannel> SUSPEND_ON_READ = ConduitStreamSourceChannel::suspendReads;

    /** One request on its way to a dyno and back. Every method runs on the exchange's IO thread. */
    private final class Trip implements IoFuture.Notifier<StreamConnection, Void>, DynoPool.InFlight {
        private final HttpServerExchange exchange;
        private final Forwarding f;
        private final XnioIoThread thread;
        private final ByteBufferPool buffers;
        private final DynoWalk walk;
        private DynoPool pool;
        private IoFuture<StreamConnection> connecting;
        /** Fires {@link #CONNECT_TIMEOUT_MS} after a connect to a dyno on another machine began. */
        private XnioExecutor.Key connectDeadline;
        private StreamConnection dyno;
        /** The connection came from the idle pool, so its dyno may have closed it just now. */
        private boolean reused;
        /** The dyno has sent at least one byte on this attempt's connection: the request is its now, never sent again. */
        private boolean spoke;
        /** An earlier attempt's dyno closed the connection without answering (for the error if no dyno is left to try). */
        private boolean closedWithoutResponse;
        private PooledByteBuffer out;
        private PooledByteBuffer in;

        Trip(HttpServerExchange exchange, Forwarding f) {
            this.exchange = exchange;
            this.f = f;
            this.thread = exchange.getIoThread();
            this.buffers = exchange.getConnection().getByteBufferPool();
            this.walk = new DynoWalk(f.route, pools);
        }

        // ---- connecting ---------------------------------------------------------------------------------

        /** Tries the next dyno in the walk: an idle connection to it if there is one, else a new one. */
        void next() {
            if (f.error != null) {
                return; // timed out meanwhile: answered
            }
            int index = walk.next();
            if (index < 0) {
                fail(closedWithoutResponse ? RouterError.CLOSED_WITHOUT_RESPONSE : RouterError.CONNECTION_REFUSED, null);
                return;
            }
            pool = f.route.pool(index, pools);
            attempt(true);
        }

        /** Sends the request to {@link #pool}'s dyno, on one of its idle connections if {@code mayReuse} and there is one. */
        private void attempt(boolean mayReuse) {
            f.dyno = pool.backend();
            f.connectStartNanos = System.nanoTime();
            spoke = false;
            StreamConnection idle = mayReuse ? pool.idle(thread).take() : null;
            if (idle != null) {
                reused = true;
                connected(idle);
                return;
            }
            reused = false;
            IoFuture<StreamConnection> connect = thread.openStreamConnection(pool.address(), this::opened, DYNO_SOCKET);
            connecting = connect;
            connect.addNotifier(this, null);
            if (pool.remote() && connect.getStatus() == IoFuture.Status.WAITING) {
                connectDeadline = thread.executeAfter(() -> connectTimedOut(connect), CONNECT_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            }
        }

        /**
         * A connect to a dyno on another node made no progress in {@link #CONNECT_TIMEOUT_MS}: a node
         * that died or is cut off drops packets rather than refusing them, and waiting for the
         * kernel to give up takes seconds to minutes. The dyno counts as unreachable (out of
         * rotation, the requests waiting on it moved on) and this request goes to the next dyno.
         * Only that dyno: a busy one drops connects too, and its node's other dynos may be fine.
         */
        private void connectTimedOut(IoFuture<StreamConnection> connect) {
            connectDeadline = null;
            if (connecting != connect || f.error != null || connect.getStatus() != IoFuture.Status.WAITING) {
                return;
            }
            connecting = null;
            connect.cancel();
            log.debug("{}: no connection within {} ms", f.dyno, CONNECT_TIMEOUT_MS);
            pool.unreachable("no connection within " + CONNECT_TIMEOUT_MS + " ms");
            next();
        }

        private void stopConnectDeadline() {
            if (connectDeadline != null) {
                connectDeadline.remove();
                connectDeadline = null;
            }
        }

        /** From any thread: the dyno stopped answering; a request that heard nothing from it yet moves on. */
        @Override
        public void unreachable() {
            thread.execute(() -> {
                if (dyno == null || spoke || f.error != null) {
                    return;
                }
                reused = false; // not the same dyno again: the next one
                closedBeforeAnswer(new IOException("it stopped answering"));
            });
        }

        private void opened(StreamConnection connection) {
            stopConnectDeadline();
            connecting = null;
            if (f.error != null) {
                IoUtils.safeClose(connection); // timed out while connecting
                return;
            }
            pool.connected();
            connected(connection);
        }

        /** The connect's outcome; only a failure matters here (success arrives at {@link #opened}). */
        @Override
        public void notify(IoFuture<? extends StreamConnection> future, Void ignored) {
            if (future.getStatus() != IoFuture.Status.FAILED || f.error != null) {
                return;
            }
            stopConnectDeadline();
            connecting = null;
            log.debug("{}: connect failed: {}", f.dyno, future.getException().toString());
            if (future.getException() instanceof NoRouteToHostException && pool.remote()) {
                pools.hostDown(pool.backend().host()); // its node is gone from the network, not just this dyno
            } else {
                pool.connectFailed();
            }
            next();
        }

        // ---- the request -------------------------------------------------------------------------------

        private void connected(StreamConnection connection) {
            dyno = connection;
            pool.sending(this);
            f.connectedNanos = System.nanoTime();
            out = buffers.allocate();
            ByteBuffer head = out.getBuffer();
            if (!RequestHead.write(exchange, head)) {
                out.close();
                out = null;
                head = ByteBuffer.allocate(RequestHead.upperBound(exchange)); // headers past 16 KiB: rare, and fine on the heap
                RequestHead.write(exchange, head);
            }
            head.flip();
            ConduitStreamSourceChannel source = dyno.getSourceChannel();
            source.setReadListener(this::readHead);
            source.resumeReads(); // already resumed on a reused connection: no epoll change
            writeHead(dyno.getSinkChannel(), head);
        }

        private void writeHead(ConduitStreamSinkChannel sink, ByteBuffer head) {
            try {
                while (head.hasRemaining() && sink.write(head) > 0) {
                    // the dyno's socket buffer takes a head at once unless it is not reading at all
                }
            } catch (IOException e) {
                closedBeforeAnswer(e);
                return;
            }
            if (head.hasRemaining()) {
                sink.setWriteListener(s -> writeHead(s, head));
                sink.resumeWrites();
                return;
            }
            sink.suspendWrites();
            releaseOut();
        }

        // ---- the response ------------------------------------------------------------------------------

        private void readHead(ConduitStreamSourceChannel source) {
            if (in == null) {
                in = buffers.allocate();
            }
            ByteBuffer buf = in.getBuffer();
            int n;
            try {
                n = source.read(buf);
            } catch (IOException e) {
                closedBeforeAnswer(e);
                return;
            }
            if (n == 0) {
                return;
            }
            if (n < 0) {
                closedBeforeAnswer(null);
                return;
            }
            spoke = true;
            ResponseHead head;
            try {
                while ((head = ResponseHead.parse(buf)) != null && head.interim()) {
                    if (head.status == 101) {
                        throw new ResponseHead.Malformed("101 Switching Protocols to a request that asked for no upgrade");
                    }
                    dropFront(buf, head.length); // 100 Continue, 103 Early Hints: the final answer follows
                }
            } catch (ResponseHead.Malformed e) {
                log.warn("{}: poorly formatted response: {}", f.dyno, e.getMessage());
                fail(RouterError.BAD_RESPONSE, null);
                return;
            }
            if (head == null) {
                if (!buf.hasRemaining()) {
                    log.warn("{}: response head larger than {} bytes", f.dyno, buf.capacity());
                    fail(RouterError.BAD_RESPONSE, null);
                }
                return; // the rest of the head is on its way
            }
            respond(source, head, buf);
        }

        private void respond(ConduitStreamSourceChannel source, ResponseHead head, ByteBuffer buf) {
            exchange.setStatusCode(head.status);
            head.copyTo(exchange.getResponseHeaders());
            int buffered = buf.position() - head.length;
            if (ResponseHead.bodiless(head.status, exchange.getRequestMethod().equals(Methods.HEAD))) {
                releaseIn();
                letGo(head.keepAlive && buffered == 0);
                exchange.endExchange();
                return;
            }
            if (!head.chunked && head.contentLength != ResponseHead.UNTIL_CLOSE && buffered >= head.contentLength) {
                // The whole body is here: the connection is done with, and the client gets head and body in one write.
                letGo(head.keepAlive && buffered == head.contentLength);
                ByteBuffer body = buf.duplicate().limit(head.length + (int) head.contentLength).position(head.length);
                exchange.getResponseSender().send(body, sent);
                return;
            }
            stream(source, head, buf, buffered);
        }

        /** Sends the body on as it arrives, through Undertow's decoders, at the pace the client takes it. */
        private void stream(ConduitStreamSourceChannel source, ResponseHead head, ByteBuffer buf, int buffered) {
            StreamSourceConduit socket = source.getConduit();
            PushBackStreamSourceConduit pushBack = new PushBackStreamSourceConduit(socket);
            if (buffered > 0) {
                buf.limit(buf.position()).position(head.length);
                pushBack.pushBack(new PooledAdaptor(in));
            } else {
                in.close();
            }
            in = null;
            boolean reusable;
            if (head.chunked) {
                // The decoder may read past the last chunk into its push-back, which is dropped with it: the connection goes.
                source.setConduit(new ChunkedBody(new ChunkedStreamSourceConduit(pushBack, pushBack, buffers, c -> { }, exchange, dyno)));
                reusable = false;
            } else if (head.contentLength != ResponseHead.UNTIL_CLOSE) {
                source.setConduit(new FixedLengthStreamSourceConduit(pushBack, head.contentLength, c -> { })); // never reads past the end
                reusable = head.keepAlive;
            } else {
                source.setConduit(pushBack); // until the dyno closes
                reusable = false;
            }
            // Called once the body's last byte was read and handed to the client. (Not a source listener:
            // a finished fixed-length conduit swallows the wakeup that would call it.)
            ChannelListener<StreamSinkChannel> endResponse = ChannelListeners.writeShutdownChannelListener(
                    ChannelListeners.flushingChannelListener(DynoForwarder::flushed, ChannelListeners.closingChannelExceptionHandler()),
                    ChannelListeners.closingChannelExceptionHandler());
            ChannelListener<StreamSinkChannel> bodyDone = sink -> {
                source.setConduit(socket);
                letGo(reusable);
                endResponse.handleEvent(sink);
            };
            ChannelExceptionHandler<StreamSourceChannel> dynoFailed = (s, e) -> {
                log.debug("{}: connection failed during the response body: {}", f.dyno, e.toString());
                letGo(false);
                IoUtils.safeClose(exchange.getConnection()); // a cut-short body must not look complete
            };
            ChannelExceptionHandler<StreamSinkChannel> clientFailed = (s, e) -> {
                letGo(false);
                IoUtils.safeClose(exchange.getConnection());
            };
            Transfer.initiateTransfer(source, exchange.getResponseChannel(), null, bodyDone,
                    dynoFailed, clientFailed, buffers);
        }

        /** The response went out with its whole body (or the client went away meanwhile). */
        private final IoCallback sent = new IoCallback() {
            @Override
            public void onComplete(HttpServerExchange e, Sender sender) {
                releaseIn();
                IoCallback.END_EXCHANGE.onComplete(e, sender);
            }

            @Override
            public void onException(HttpServerExchange e, Sender sender, IOException failure) {
                releaseIn();
                IoCallback.END_EXCHANGE.onException(e, sender, failure);
            }
        };

        // ---- the end -----------------------------------------------------------------------------------

        /** The dyno timeout fired before the dyno began its answer: the connection goes, and the client gets H12. */
        void cutOff() {
            stopConnectDeadline();
            if (connecting != null) {
                connecting.cancel();
                connecting = null;
            }
            fail(RouterError.TIMEOUT, null);
        }

        /**
         * The dyno connection closed or was reset before the dyno sent a byte of its answer: the
         * dyno died, or its process is going away, or it closed a keep-alive connection just as
         * the request went out on it. The request has no body and nothing of an answer has reached
         * the client, so when its method is idempotent (RFC 9110, 9.2.2) it is sent again: on a
         * fresh connection to the same dyno if this one came from the idle pool, else to the next
         * dyno of the walk. Each dyno is tried at most twice, so the retries end. Any other
         * request ends here with H13, as one the dyno may have acted on.
         */
        private void closedBeforeAnswer(IOException cause) {
            if (spoke || f.error != null || exchange.isResponseStarted() || !idempotent(exchange)) {
                fail(RouterError.CLOSED_WITHOUT_RESPONSE, cause);
                return;
            }
            log.info("{}: closed the connection without answering{} ({}); request_id={} goes to {}", f.dyno,
                    reused ? " on a reused connection" : "", cause != null ? cause.toString() : "end of stream",
                    f.requestId, reused ? "a fresh connection" : "the next dyno");
            letGo(false);
            releaseOut();
            releaseIn();
            closedWithoutResponse = true;
            f.retries++;
            if (f.retriedFrom == null) {
                f.retriedFrom = f.dyno;
            }
            if (reused) {
                attempt(false);
            } else {
                next();
            }
        }

        /**
         * No answer from the dyno: the router answers instead. A request that may have reached the
         * dyno is never sent again (but see {@link #closedBeforeAnswer}), so this ends the request
         * even when other dynos are up.
         */
        private void fail(RouterError error, IOException cause) {
            if (cause != null) {
                log.debug("{}: {}{}", f.dyno, cause.toString(), reused ? " (on a reused connection)" : "");
            }
            letGo(false);
            releaseOut();
            releaseIn();
            if (f.error == null) {
                f.error = error;
            }
            if (exchange.isResponseChannelAvailable()) {
                ErrorPage.send(exchange, f.error);
            } else {
                IoUtils.safeClose(exchange.getConnection());
            }
        }

        /** Parks the dyno connection for the next request, or closes it. */
        private void letGo(boolean reusable) {
            StreamConnection c = dyno;
            if (c == null) {
                return;
            }
            dyno = null;
            pool.done(this);
            if (reusable && f.error == null && !pool.closed()) {
                pool.idle(thread).park(c);
            } else {
                IoUtils.safeClose(c);
            }
        }

        private void releaseOut() {
            if (out != null) {
                out.close();
                out = null;
            }
        }

        private void releaseIn() {
            if (in != null) {
                in.close();
                in = null;
            }
        }
    }

    /** Methods a client may send twice to the same effect (RFC 9110, 9.2.2): the only ones the router sends twice. */
    private static boolean idempotent(HttpServerExchange exchange) {
        HttpString m = exchange.getRequestMethod();
        return m.equals(Methods.GET) || m.equals(Methods.HEAD) || m.equals(Methods.OPTIONS)
                || m.equals(Methods.PUT) || m.equals(Methods.DELETE) || m.equals(Methods.TRACE);
    }

    /** Moves what follows the first {@code n} bytes to the front of the buffer. */
    private static void dropFront(ByteBuffer buf, int n) {
        buf.limit(buf.position()).position(n);
        buf.compact();
    }

    private static void flushed(StreamSinkChannel channel) {
        channel.suspendWrites();
        channel.getWriteSetter().set(null);
    }
}
