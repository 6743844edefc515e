package io.slipway.controller.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.slipway.api.Json;
import io.slipway.controller.docker.RawAttach;
import io.slipway.controller.http.ApiException;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedBinaryMessage;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attached session over a WebSocket: {@code slipway run} (a one-off dyno) or {@code pg:psql}
 * (an exec in an add-on), whatever {@link Attached} the client's first text message starts. Then
 * binary frames carry a channel byte: from the client 0 = stdin, 4 = resize ("COLUMNS LINES"),
 * 5 = end of stdin; to the client 1 = stdout, 2 = stderr. The session ends with a text
 * {@code {"exit": N}}. If the client goes away first, what runs is stopped.
 */
public final class AttachSession {
    private static final Logger log = LoggerFactory.getLogger(AttachSession.class);
    static final byte STDIN = 0;
    static final byte STDOUT = 1;
    static final byte STDERR = 2;
    static final byte RESIZE = 4;
    static final byte STDIN_EOF = 5;

    private final String subject;
    private final Attached.Starter starter;
    private final WebSocketChannel channel;
    private final AtomicBoolean finished = new AtomicBoolean();
    private volatile RawAttach attach;
    private volatile Attached running;

    private AttachSession(String subject, Attached.Starter starter, WebSocketChannel channel) {
        this.subject = subject;
        this.starter = starter;
        this.channel = channel;
    }

    /** Serves one WebSocket: {@code subject} names it in log lines ({@code app=shop}). */
    public static void serve(WebSocketChannel channel, String subject, Attached.Starter starter) {
        AttachSession session = new AttachSession(subject, starter, channel);
        channel.getReceiveSetter().set(new AbstractReceiveListener() {
            @Override
            protected void onFullTextMessage(WebSocketChannel ch, BufferedTextMessage message) {
                session.onText(message.getData());
            }

            @Override
            protected void onFullBinaryMessage(WebSocketChannel ch, BufferedBinaryMessage message) throws IOException {
                var data = message.getData();
                try {
                    for (ByteBuffer b : data.getResource()) {
                        session.onBinary(b);
                    }
                } finally {
                    data.free();
                }
            }

            @Override
            protected void onCloseMessage(io.undertow.websockets.core.CloseMessage cm, WebSocketChannel ch) {
                session.onClosed();
            }
        });
        channel.addCloseTask(ch -> session.onClosed());
        channel.resumeReceives();
    }

    /** The first text message starts it; later ones are ignored. */
    void onText(String text) {
        if (running != null) {
            return;
        }
        Thread.ofVirtual().name("attach-" + subject).start(() -> run(text));
    }

    void onBinary(ByteBuffer data) {
        if (!data.hasRemaining()) {
            return;
        }
        byte kind = data.get();
        byte[] payload = new byte[data.remaining()];
        data.get(payload);
        RawAttach a = attach;
        try {
            switch (kind) {
                case STDIN -> {
                    if (a != null) {
                        a.writeStdin(payload);
                    }
                }
                case STDIN_EOF -> {
                    Attached r = running;
                    if (a != null && (r == null || r.passesEndOfInput())) {
                        a.closeStdin();
                    }
                }
                case RESIZE -> resize(new String(payload, StandardCharsets.UTF_8));
                default -> { }
            }
        } catch (IOException e) {
            // the dyno's stdin is closed (it ended or stopped reading): nothing to deliver it to
        }
    }

    /** The client went away (Ctrl-C, a dropped connection): stop what runs. */
    void onClosed() {
        Attached r = running;
        if (r != null && finished.compareAndSet(false, true)) {
            log.info("{} {} client disconnected: stopping it", subject, r.name());
            Thread.ofVirtual().start(r::stop);
        }
    }

    private void run(String firstMessage) {
        Attached r;
        try {
            r = starter.start(firstMessage);
        } catch (JsonProcessingException e) {
            fail("bad_request", "the first message must be a JSON request: " + e.getOriginalMessage());
            return;
        } catch (ApiException e) {
            fail(e.id(), e.getMessage());
            return;
        } catch (RuntimeException e) {
            log.error("{} attached session failed to start", subject, e);
            fail("internal_error", "it could not start: " + e.getMessage());
            return;
        }
        // Attach before the start, so not a byte of output is missed; stdin is ready when the client learns the name.
        try (RawAttach a = r.attach()) {
            attach = a;
            running = r;
            r.start();
            sendText(Map.of("dyno", r.name()));
            // The watchdog waits for the end (and stops what outlives its maximum time).
            var exitCode = new java.util.concurrent.CompletableFuture<Integer>();
            Thread.ofVirtual().start(() -> exitCode.complete(r.awaitExit()));
            a.pump(this::send);
            int exit = exitCode.join();
            if (finished.compareAndSet(false, true)) {
                sendText(Map.of("exit", exit));
                WebSockets.sendCloseBlocking(1000, "exited", channel);
            }
        } catch (IOException | RuntimeException e) {
            if (!finished.get()) {
                log.warn("{} {} attach failed: {}", subject, r.name(), e.getMessage());
                fail("internal_error", "lost the connection to " + r.name() + ": " + e.getMessage());
            }
        } finally {
            r.remove();
        }
    }

    private void resize(String size) {
        Attached r = running;
        String[] parts = size.trim().split("\\s+");
        if (r == null || !r.tty() || parts.length != 2) {
            return;
        }
        try {
            r.resize(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
        } catch (RuntimeException ignored) {
            // a resize racing the end
        }
    }

    private void send(int kind, byte[] payload) {
        ByteBuffer frame = ByteBuffer.allocate(payload.length + 1);
        frame.put((byte) kind).put(payload).flip();
        try {
            // Blocking on this (Docker's) thread: the client's pace is the dyno's pace, memory stays bounded.
            WebSockets.sendBinaryBlocking(frame, channel);
        } catch (IOException e) {
            onClosed();
        }
    }

    private void sendText(Object message) throws IOException {
        WebSockets.sendTextBlocking(Json.mapper().writeValueAsString(message), channel);
    }

    private void fail(String id, String message) {
        try {
            sendText(Map.of("error", Map.of("id", id, "message", message)));
            WebSockets.sendCloseBlocking(1000, "refused", channel);
        } catch (IOException ignored) {
            // the client is gone already
        }
    }
}
