package io.slipway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.api.Json;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The attach protocol of {@code /apps/{app}/run}, one place for both directions. The client's
 * first message is the {@code RunRequest} as JSON text. After that, text messages are the
 * server's events ({@link Started}, {@link Exited}, {@link Refused}) and binary messages carry
 * bytes, their first byte naming the channel.
 */
final class RunProtocol {
    /** Client → server: bytes the user typed or piped in. */
    static final int STDIN = 0;
    /** Server → client: the command's stdout (and, with a TTY, everything it writes). */
    static final int STDOUT = 1;
    /** Server → client: the command's stderr (never used with a TTY). */
    static final int STDERR = 2;
    /** Client → server: the terminal's new size, {@code "COLUMNS LINES"} in UTF-8. */
    static final int RESIZE = 4;
    /** Client → server: stdin has ended; no payload. */
    static final int STDIN_EOF = 5;

    private RunProtocol() {}

    /** One binary message: the channel byte, then {@code length} bytes of {@code data}. */
    static ByteBuffer frame(int channel, byte[] data, int offset, int length) {
        ByteBuffer frame = ByteBuffer.allocate(1 + length);
        frame.put((byte) channel).put(data, offset, length);
        return frame.flip();
    }

    static ByteBuffer eof() {
        return frame(STDIN_EOF, new byte[0], 0, 0);
    }

    static ByteBuffer resize(Tty.Size size) {
        byte[] text = (size.columns() + " " + size.lines()).getBytes(StandardCharsets.UTF_8);
        return frame(RESIZE, text, 0, text.length);
    }

    /** What a text message from the server says. */
    sealed interface Event permits Started, Exited, Refused, Unknown {}

    /** {@code {"dyno":"run.4"}}: the one-off dyno is up; bytes follow. */
    record Started(String dyno) implements Event {}

    /** {@code {"exit":3}}: the command ended with this code; the server closes next. */
    record Exited(int code) implements Event {}

    /** {@code {"error":{"id":"…","message":"…"}}}: the run was refused or failed; the server closes next. */
    record Refused(String id, String message) implements Event {}

    /** Anything else (a newer server's event): ignored, so old CLIs keep working. */
    record Unknown(String text) implements Event {}

    static Event parse(String text) {
        JsonNode node;
        try {
            node = Json.mapper().readTree(text);
        } catch (IOException e) {
            return new Unknown(text);
        }
        if (node == null || !node.isObject()) {
            return new Unknown(text);
        }
        if (node.hasNonNull("error")) {
            JsonNode error = node.get("error");
            String message = error.isObject() ? error.path("message").asText("") : error.asText("");
            return new Refused(error.path("id").asText(null),
                    message.isBlank() ? "the platform refused the run without saying why" : message);
        }
        if (node.hasNonNull("exit") && node.get("exit").canConvertToInt()) {
            return new Exited(node.get("exit").asInt());
        }
        if (node.hasNonNull("dyno") && node.get("dyno").isTextual()) {
            return new Started(node.get("dyno").asText());
        }
        return new Unknown(text);
    }
}
