package io.slipway.controller.logs;

import io.slipway.keys.LogKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where routers (separate processes) send their request lines: UDP on 127.0.0.1, one line per
 * datagram, UTF-8, {@code <tag> <app> <process> <text>} — e.g. {@code 3f…9a shop router at=info
 * method=GET path="/" … status=200} — kept as {@code router[<process>]} in the app's stream. UDP
 * because a router must never wait on the controller: if it is down or slow, lines are lost,
 * requests are not. Any process on the host can send to the port, so a line counts only with the
 * tag of the platform's {@link LogKey}; the rest are dropped, and counted in one warning a minute.
 * {@link LogDatagramSender} is the sending side.
 */
public final class RouterLogListener implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RouterLogListener.class);
    private static final int MAX_DATAGRAM = 65_507;
    private static final Duration REPORT_UNSIGNED_EVERY = Duration.ofMinutes(1);

    private final DatagramChannel channel;
    private final LogSink sink;
    private final Thread thread;
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong unsigned = new AtomicLong();
    private final LogKey key;
    private final Clock clock;
    private final DropReport unsignedReport;
    private volatile boolean closing;

    private RouterLogListener(DatagramChannel channel, LogKey key, LogSink sink, Clock clock) {
        this.channel = channel;
        this.key = key;
        this.sink = sink;
        this.clock = clock;
        this.unsignedReport = new DropReport(REPORT_UNSIGNED_EVERY, clock.instant());
        this.thread = Thread.ofPlatform().name("router-log-listener").daemon().unstarted(this::receive);
    }

    /**
     * Binds 127.0.0.1:{@code port} (0 for any free port) and starts taking lines tagged with
     * {@code key} into {@code sink}.
     */
    public static RouterLogListener start(int port, LogKey key, LogSink sink) {
        DatagramChannel channel = null;
        try {
            channel = DatagramChannel.open();
            channel.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20); // bursts wait here, not in the router
            channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // nothing bound, nothing to release
                }
            }
            throw new UncheckedIOException("cannot listen for router log lines on UDP 127.0.0.1:" + port + " ("
                    + e.getMessage() + "); set SLIPWAY_LOG_PORT to a free port", e);
        }
        RouterLogListener listener = new RouterLogListener(channel, key, sink, Clock.systemUTC());
        listener.thread.start();
        return listener;
    }

    /** The UDP port it listens on. */
    public int port() {
        try {
            return ((InetSocketAddress) channel.getLocalAddress()).getPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void receive() {
        ByteBuffer buf = ByteBuffer.allocate(MAX_DATAGRAM);
        while (!closing) {
            try {
                buf.clear();
                channel.receive(buf);
                buf.flip();
                take(buf.array(), buf.limit());
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException | RuntimeException e) {
                if (!closing) {
                    log.warn("router log listener: {}", e.toString());
                }
            }
        }
    }

    /** One datagram as received: only a line with the platform's tag goes on to {@link #take(String)}. */
    void take(byte[] datagram, int length) {
        if (key.verifies(datagram, length)) {
            int from = LogKey.TAG_CHARS + 1;
            take(new String(datagram, from, length - from, StandardCharsets.UTF_8));
        } else {
            unsigned.incrementAndGet();
        }
        String report = unsignedReport.due(clock.instant(), unsigned.get());
        if (report != null) {
            log.warn("router log listener: {}", report);
        }
    }

    /**
     * When to say how many datagrams without the platform's tag were dropped: once a minute at
     * most, and only after some were, never a line each: whoever floods the port must not flood the
     * log too. The count is told with the next datagram after the minute.
     */
    static final class DropReport {
        private final Duration every;
        private long reported;
        private Instant last;

        DropReport(Duration every, Instant start) {
            this.every = every;
            this.last = start;
        }

        /** The line to log now that {@code total} have been dropped in all, or null when none is due. */
        String due(Instant now, long total) {
            if (total <= reported || now.isBefore(last.plus(every))) {
                return null;
            }
            String line = "dropped " + (total - reported) + " datagrams without the platform's tag in the last "
                    + Duration.between(last, now).toSeconds() + " s (sent by a process on this host that cannot read "
                    + LogKey.FILE + ", or by a router of another SLIPWAY_HOME)";
            reported = total;
            last = now;
            return line;
        }
    }

    /** One line: {@code <app> <process> <text>}; anything else is counted and dropped. */
    void take(String datagram) {
        int a = datagram.indexOf(' ');
        int p = a < 0 ? -1 : datagram.indexOf(' ', a + 1);
        if (p < 0) {
            malformed.incrementAndGet();
            return;
        }
        String process = datagram.substring(a + 1, p);
        if (!LogFormat.PROCESS.matcher(process).matches()) {
            malformed.incrementAndGet();
            return;
        }
        received.incrementAndGet();
        sink.append(new LogLine(Instant.now(), datagram.substring(0, a), "router", process, datagram.substring(p + 1)));
    }

    long received() {
        return received.get();
    }

    long malformed() {
        return malformed.get();
    }

    long unsigned() {
        return unsigned.get();
    }

    @Override
    public void close() {
        closing = true;
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing a socket we own cannot lose anything
        }
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
