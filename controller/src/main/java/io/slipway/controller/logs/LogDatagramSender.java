package io.slipway.controller.logs;

import io.slipway.keys.LogKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends log lines into an app's stream from another process (the router): one UDP datagram per
 * line to the controller's {@code SLIPWAY_LOG_PORT} on 127.0.0.1, {@code <tag> <app> <process> <text>}
 * in UTF-8, the tag made with the platform's {@link LogKey}. It never blocks and never throws on send: a line that cannot go (controller down,
 * socket buffer full) is counted in {@link #dropped()} and forgotten. Safe from many threads.
 * Plain JDK on purpose, so another module can copy it as it is.
 */
public final class LogDatagramSender implements AutoCloseable {
    /** Text beyond this many bytes is cut: a datagram stays well inside one UDP packet on loopback. */
    public static final int MAX_TEXT_BYTES = 10_000;

    private final DatagramChannel channel;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final LogKey key;

    public LogDatagramSender(int port, LogKey key) {
        this.key = key.copy();
        try {
            channel = DatagramChannel.open();
            channel.configureBlocking(false);
            channel.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a UDP socket for log lines to 127.0.0.1:" + port, e);
        }
    }

    /**
     * One line for {@code app}'s stream, shown as {@code router[<process>]: <text>}. {@code app} is
     * the app's name; {@code process} a short name without spaces ({@code router}); line breaks in
     * {@code text} become spaces.
     */
    public void send(String app, String process, String text) {
        String clean = text.indexOf('\n') < 0 && text.indexOf('\r') < 0 ? text : text.replace('\n', ' ').replace('\r', ' ');
        byte[] body = clean.getBytes(StandardCharsets.UTF_8);
        byte[] head = (app + " " + process + " ").getBytes(StandardCharsets.UTF_8);
        int length = Math.min(body.length, MAX_TEXT_BYTES);
        byte[] line = ByteBuffer.allocate(head.length + length).put(head).put(body, 0, length).array();
        String tag;
        synchronized (key) {
            tag = key.tag(line, 0, line.length);
        }
        ByteBuffer datagram = ByteBuffer.allocate(LogKey.TAG_CHARS + 1 + line.length)
                .put((tag + " ").getBytes(StandardCharsets.US_ASCII)).put(line).flip();
        try {
            if (channel.write(datagram) > 0) {
                sent.incrementAndGet();
                return;
            }
        } catch (IOException e) {
            // nobody listening (ICMP port unreachable) or the socket is full: the line is lost, not the request
        }
        dropped.incrementAndGet();
    }

    public long sent() {
        return sent.get();
    }

    public long dropped() {
        return dropped.get();
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
