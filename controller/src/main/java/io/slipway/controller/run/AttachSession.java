package io.slipway.controller.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.slipway.api.Json;
import io.slipway.api.RunRequest;
import io.slipway.controller.app.App;
import io.slipway.controller.docker.DockerEngine;
import io.slipway.controller.docker.RawAttach;
import io.slipway.controller.http.ApiException;
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
 * One attached {@code slipway run} over a WebSocket. The client's first text message is the
 * {@link RunRequest}; then binary frames carry a channel byte: from the client 0 = stdin,
 * 4 = resize ("COLUMNS LINES"), 5 = end of stdin; to the client 1 = stdout, 2 = stderr. The session
 * ends with a text {@code {"exit": N}}. If the client goes away first, the dyno is stopped.
 */
final class AttachSession {
    private static final Logger log = LoggerFactory.getLogger(AttachSession.class);
    static final byte STDIN = 0;
    static final byte STDOUT = 1;
    static final byte STDERR = 2;
    static final byte RESIZE = 4;
    static final byte STDIN_EOF = 5;

    private final OneOffDynos runs;
    private final DockerEngine docker;
    private final App app;
    private final String by;
    private final WebSocketChannel channel;
    private final AtomicBoolean finished = new AtomicBoolean();
    private volatile RawAttach attach;
    private volatile OneOffDynos.OneOff dyno;

    AttachSession(OneOffDynos runs, DockerEngine docker, App app, String by, WebSocketChannel channel) {
        this.runs = runs;
        this.docker = docker;
        this.app = app;
        this.by = by;
        this.channel = channel;
    }

    /** The first text message starts the dyno; later ones are ignored. */
    void onText(String text) {
        if (dyno != null) {
            return;
        }
        Thread.ofVirtual().name("attach-" + app.name()).start(() -> run(text));
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
                    if (a != null) {
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

    /** The client went away (Ctrl-C, a dropped connection): stop the dyno. */
    void onClosed() {
        OneOffDynos.OneOff d = dyno;
        if (d != null && finished.compareAndSet(false, true)) {
            log.info("app={} dyno={} client disconnected: stopping the dyno", app.name(), d.dyno());
            Thread.ofVirtual().start(() -> runs.stop(d));
        }
    }

    private void run(String requestJson) {
        OneOffDynos.OneOff d;
        try {
            d = runs.create(app, Json.mapper().readValue(requestJson, RunRequest.class).attached(), by);
        } catch (JsonProcessingException e) {
            fail("bad_request", "the first message must be a JSON run request: " + e.getOriginalMessage());
            return;
        } catch (ApiException e) {
            fail(e.id(), e.getMessage());
            return;
        } catch (RuntimeException e) {
            log.error("app={} one-off dyno failed to start", app.name(), e);
            fail("internal_error", "the one-off dyno could not start: " + e.getMessage());
            return;
        }
        // Attach before the start, so not a byte of output is missed; stdin is ready when the client learns the name.
        try (RawAttach a = RawAttach.open(docker.host(), d.containerId(), d.tty())) {
            attach = a;
            dyno = d;
            runs.start(d);
            sendText(Map.of("dyno", d.dyno()));
            // The watchdog waits for the end and stops a dyno that outlives the maximum run time.
            var exitCode = new java.util.concurrent.CompletableFuture<Integer>();
            Thread.ofVirtual().start(() -> exitCode.complete(runs.waitFor(d, runs.maxTime())));
            a.pump(this::send);
            int exit = exitCode.join();
            if (finished.compareAndSet(false, true)) {
                sendText(Map.of("exit", exit));
                WebSockets.sendCloseBlocking(1000, "exited", channel);
            }
        } catch (IOException | RuntimeException e) {
            if (!finished.get()) {
                log.warn("app={} dyno={} attach failed: {}", app.name(), d.dyno(), e.getMessage());
                fail("internal_error", "lost the connection to the dyno: " + e.getMessage());
            }
        } finally {
            runs.remove(d);
        }
    }

    private void resize(String size) {
        OneOffDynos.OneOff d = dyno;
        String[] parts = size.trim().split("\\s+");
        if (d == null || !d.tty() || parts.length != 2) {
            return;
        }
        try {
            docker.client().resizeContainerCmd(d.containerId())
                    .withSize(Integer.parseInt(parts[1]), Integer.parseInt(parts[0])).exec();
        } catch (RuntimeException ignored) {
            // a resize racing the dyno's end
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
