package io.slipway.controller.testing;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A plain JDK WebSocket client speaking the attach protocol, as any client could. */
public final class WsClient implements WebSocket.Listener {
    public final List<String> texts = new CopyOnWriteArrayList<>();
    public final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    public final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    public final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private final ByteArrayOutputStream partialBinary = new ByteArrayOutputStream();
    public WebSocket ws;

    public static WsClient connect(String apiUrl, String app, String token) throws Exception {
        WsClient client = new WsClient();
        client.ws = HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Authorization", "Bearer " + token)
                .connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create(apiUrl.replace("http://", "ws://") + "/apps/" + app + "/run"), client)
                .get(10, TimeUnit.SECONDS);
        return client;
    }

    public void request(String json) {
        ws.sendText(json, true).join();
    }

    public void stdin(String text) {
        byte[] b = text.getBytes();
        ByteBuffer frame = ByteBuffer.allocate(b.length + 1).put((byte) 0).put(b).flip();
        ws.sendBinary(frame, true).join();
    }

    public void stdinEof() {
        ws.sendBinary(ByteBuffer.wrap(new byte[] {5}), true).join();
    }

    public int awaitClose() throws Exception {
        return closed.get(90, TimeUnit.SECONDS);
    }

    public synchronized String out() {
        return stdout.toString();
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            texts.add(partial.toString());
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        byte[] b = new byte[data.remaining()];
        data.get(b);
        partialBinary.write(b, 0, b.length);
        if (last) {
            byte[] frame = partialBinary.toByteArray();
            partialBinary.reset();
            synchronized (this) {
                (frame[0] == 2 ? stderr : stdout).write(frame, 1, frame.length - 1);
            }
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.completeExceptionally(error);
    }
}
