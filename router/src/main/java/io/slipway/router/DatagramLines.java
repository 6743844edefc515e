package io.slipway.router;

import io.slipway.keys.LogKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;

/**
 * Request lines into each app's log stream: one UDP datagram per line to the controller's
 * {@code SLIPWAY_LOG_PORT} on 127.0.0.1, {@code <tag> <app> router <line>} in UTF-8, the tag made
 * with the platform's {@link LogKey} so that the controller can tell them from lines anyone on the
 * host could send (the controller's {@code RouterLogListener} takes them; its {@code LogDatagramSender}
 * is the model for this). A line that cannot go (controller down, socket buffer full) is counted and
 * forgotten: requests never wait on the controller.
 */
final class DatagramLines implements AsyncRequestLog.Output {
    /** As the controller's sender: a datagram stays well inside one UDP packet on loopback. */
    static final int MAX_TEXT_BYTES = 10_000;
    static final String PROCESS = "router";

    private final int port;
    private final DatagramChannel channel;
    private static final int BODY = LogKey.TAG_CHARS + 1;

    private final ByteBuffer datagram = ByteBuffer.allocate(BODY + MAX_TEXT_BYTES + 512);
    private final LogKey key;
    private long dropped;

    DatagramLines(int port, LogKey key) {
        this.port = port;
        this.key = key;
        try {
            channel = DatagramChannel.open();
            channel.configureBlocking(false);
            channel.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a UDP socket for request lines to 127.0.0.1:" + port, e);
        }
    }

    private String app;
    private byte[] prefix;

    @Override
    public void write(long epochMillis, String app, byte[] text, int from, int to) {
        if (!app.equals(this.app)) {
            this.app = app;
            this.prefix = (app + " " + PROCESS + " ").getBytes(StandardCharsets.UTF_8);
        }
        datagram.clear();
        datagram.position(BODY);
        datagram.put(prefix).put(text, from, Math.min(to - from, MAX_TEXT_BYTES)).flip(); // a line never holds a line break
        key.sign(datagram.array(), BODY, datagram.limit(), 0);
        datagram.put(LogKey.TAG_CHARS, (byte) ' ');
        try {
            if (channel.write(datagram) > 0) {
                return;
            }
        } catch (IOException e) {
            // nobody listening (ICMP port unreachable) or the socket is full: the line is lost, not the request
        }
        dropped++;
    }

    @Override
    public long dropped() {
        return dropped;
    }

    @Override
    public String describe() {
        return "the app log streams (UDP 127.0.0.1:" + port + ")";
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing to flush: datagrams are sent or dropped at once
        }
    }
}
