package io.slipway.cli;

import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.util.Headers;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedBinaryMessage;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.CloseMessage;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import io.undertow.websockets.spi.WebSocketHttpExchange;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A stand-in for the controller's attach endpoint, {@code /apps/shop/run}, speaking the
 * {@link RunProtocol} over a real WebSocket (Undertow's, as the controller's). Each test scripts
 * the server's side of one conversation; what the CLI sent is checked inside the script. Any
 * other path answers 404 in the API's error shape, as a refused upgrade does.
 */
final class StandInRunServer implements AutoCloseable {
    /** The server's side of one run, scripted by a test; it runs on its own thread. */
    @FunctionalInterface
    interface Script {
        void play(Conversation conversation) throws Exception;
    }

    /** A message the CLI sent: text, binary (channel byte first), or its close. */
    sealed interface Message permits Text, Binary, Closed {}

    record Text(String text) implements Message {}

    record Binary(byte[] bytes) implements Message {
        int channel() {
            return bytes[0];
        }

        String payload() {
            return new String(bytes, 1, bytes.length - 1, StandardCharsets.UTF_8);
        }
    }

    record Closed(int code, String reason) implements Message {}

    private final Undertow server;
    private final int port;
    private final AtomicReference<Script> script = new AtomicReference<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicReference<String> authorization = new AtomicReference<>();
    private volatile Thread scriptThread;

    StandInRunServer() {
        server = Undertow.builder()
                .addHttpListener(0, "127.0.0.1")
                .setHandler(Handlers.path(exchange -> {
                    exchange.setStatusCode(404);
                    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
                    exchange.getResponseSender().send("{\"id\":\"not_found\",\"message\":\"no app 'nosuch'; "
                            + "'slipway apps' lists them\"}");
                }).addExactPath("/apps/shop/run", Handlers.websocket(this::connected)))
                .build();
        server.start();
        port = ((InetSocketAddress) server.getListenerInfo().getFirst().getAddress()).getPort();
    }

    /** What the server does on the next connection. */
    StandInRunServer script(Script next) {
        script.set(next);
        return this;
    }

    /** The Authorization header of the last upgrade request. */
    String authorization() {
        return authorization.get();
    }

    /** Waits for the script to end and rethrows what failed in it (an assertion on what the CLI sent). */
    void verify() throws Exception {
        Thread thread = scriptThread;
        if (thread != null) {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        }
        Throwable t = failure.get();
        if (t instanceof Exception e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
    }

    /** A CLI pointed at this stand-in with a token, as after {@code slipway login}. */
    SlipwayCli cli(Path home) {
        return SlipwayCli.withEnv(Map.of(
                "SLIPWAY_HOME", home.toString(),
                "SLIPWAY_API_URL", "http://127.0.0.1:" + port,
                "SLIPWAY_API_TOKEN", "tok-123",
                "GIT_CEILING_DIRECTORIES", home.getParent().toString()), home);
    }

    private void connected(WebSocketHttpExchange exchange, WebSocketChannel channel) {
        authorization.set(exchange.getRequestHeader("Authorization"));
        Conversation conversation = new Conversation(channel);
        channel.getReceiveSetter().set(new AbstractReceiveListener() {
            @Override
            protected void onFullTextMessage(WebSocketChannel ch, BufferedTextMessage message) {
                conversation.received.add(new Text(message.getData()));
            }

            @Override
            protected void onFullBinaryMessage(WebSocketChannel ch, BufferedBinaryMessage message) {
                var data = message.getData();
                try {
                    ByteBuffer merged = WebSockets.mergeBuffers(data.getResource());
                    byte[] bytes = new byte[merged.remaining()];
                    merged.get(bytes);
                    conversation.received.add(new Binary(bytes));
                } finally {
                    data.free();
                }
            }

            @Override
            protected void onCloseMessage(CloseMessage message, WebSocketChannel ch) {
                conversation.received.add(new Closed(message.getCode(), message.getReason()));
            }
        });
        channel.resumeReceives();
        Script next = script.get();
        Thread thread = new Thread(() -> {
            try {
                next.play(conversation);
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
                conversation.drop();
            }
        }, "stand-in-run-script");
        scriptThread = thread;
        thread.start();
    }

    @Override
    public void close() {
        server.stop();
    }

    /** One WebSocket connection, from the server's side. */
    static final class Conversation {
        private final WebSocketChannel channel;
        private final BlockingQueue<Message> received = new LinkedBlockingQueue<>();

        private Conversation(WebSocketChannel channel) {
            this.channel = channel;
        }

        /** The next message the CLI sent; fails after 10 s of nothing. */
        Message next() throws InterruptedException {
            Message message = received.poll(10, TimeUnit.SECONDS);
            if (message == null) {
                throw new AssertionError("the CLI sent nothing within 10 s");
            }
            return message;
        }

        /** The next message, which must be text (the run request). */
        String text() throws InterruptedException {
            Message message = next();
            if (message instanceof Text text) {
                return text.text();
            }
            throw new AssertionError("expected a text message, got " + describe(message));
        }

        /** The next message, which must be binary. */
        Binary binary() throws InterruptedException {
            Message message = next();
            if (message instanceof Binary binary) {
                return binary;
            }
            throw new AssertionError("expected a binary message, got " + describe(message));
        }

        /** Waits for the CLI's close, skipping whatever it still sent before it. */
        Closed closed() throws InterruptedException {
            while (true) {
                if (next() instanceof Closed closed) {
                    return closed;
                }
            }
        }

        void sendText(String text) {
            try {
                WebSockets.sendTextBlocking(text, channel);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Bytes on one channel: 1 stdout, 2 stderr. */
        void send(int channelByte, String payload) {
            byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
            ByteBuffer frame = ByteBuffer.allocate(bytes.length + 1).put((byte) channelByte).put(bytes).flip();
            try {
                WebSockets.sendBinaryBlocking(frame, channel);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The orderly end: the close message, as the server sends after {@code {"exit": N}} (Undertow answers the CLI's close itself). */
        void close() {
            if (channel.isCloseFrameSent() || !channel.isOpen()) {
                return;
            }
            try {
                WebSockets.sendCloseBlocking(CloseMessage.NORMAL_CLOSURE, "", channel);
            } catch (IOException e) {
                if (!channel.isCloseFrameSent() && channel.isOpen()) {
                    throw new UncheckedIOException(e);
                }
                // The CLI closed first (it does once it has the exit code) and Undertow answered.
            }
        }

        /** The connection gone without a close message, as when the controller dies. */
        void drop() {
            try {
                channel.close();
            } catch (IOException e) {
                // Already gone.
            }
        }

        private static String describe(Message message) {
            return message instanceof Binary b ? "binary " + Arrays.toString(b.bytes()) : String.valueOf(message);
        }
    }
}
