package io.slipway.controller.docker;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Frame;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Turns a container's output, in frames of whatever size Docker chose, into whole lines (without
 * their newline; carriage returns dropped). {@link #flush()} hands over a last unterminated line.
 */
public final class OutputLines {
    private final Consumer<String> sink;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    public OutputLines(Consumer<String> sink) {
        this.sink = sink;
    }

    /**
     * The last {@code n} lines of a finished log request (a container's or a Swarm task's), oldest
     * first; empty when its subject is gone. {@code logs} starts the request with the callback given.
     */
    public static List<String> last(int n, UnaryOperator<ResultCallback.Adapter<Frame>> logs) {
        List<String> lines = new ArrayList<>();
        OutputLines out = new OutputLines(line -> {
            synchronized (lines) {
                lines.add(line);
            }
        });
        try (var callback = logs.apply(new ResultCallback.Adapter<Frame>() {
            @Override
            public void onNext(Frame frame) {
                out.accept(frame.getPayload());
            }
        })) {
            callback.awaitCompletion(3, TimeUnit.SECONDS);
        } catch (NotFoundException gone) {
            return List.of();
        } catch (IOException e) {
            // closing a finished log stream: what was read is all there is
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        out.flush();
        synchronized (lines) {
            return List.copyOf(lines.subList(Math.max(0, lines.size() - n), lines.size()));
        }
    }

    public synchronized void accept(byte[] bytes) {
        for (byte b : bytes) {
            if (b == '\n') {
                emit();
            } else if (b != '\r') {
                pending.write(b);
            }
        }
    }

    public synchronized void flush() {
        if (pending.size() > 0) {
            emit();
        }
    }

    private void emit() {
        sink.accept(pending.toString(StandardCharsets.UTF_8));
        pending.reset();
    }
}
