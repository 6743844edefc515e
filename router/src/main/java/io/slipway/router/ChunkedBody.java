package io.slipway.router;

import io.undertow.conduits.ChunkedStreamSourceConduit;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import org.xnio.channels.StreamSinkChannel;
import org.xnio.conduits.AbstractStreamSourceConduit;

/**
 * A dyno's chunked body, de-chunked by Undertow's decoder, whose unchecked failures become the
 * IOException that every reader of a conduit handles. The decoder throws IllegalArgumentException
 * when a malformed chunk-size line leads it to a trailer line without a name (found by
 * ParsersFuzzTest#chunkedBody, kept as its input {@code trailer-without-a-name}). Thrown on an IO
 * thread, that escaped DynoForwarder's handlers and reached XNIO's last-resort catch; as an
 * IOException it goes the way of any other broken body: DynoForwarder closes the client's connection.
 */
final class ChunkedBody extends AbstractStreamSourceConduit<ChunkedStreamSourceConduit> {
    ChunkedBody(ChunkedStreamSourceConduit decoder) {
        super(decoder);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        try {
            return next.read(dst);
        } catch (RuntimeException e) {
            throw malformed(e);
        }
    }

    @Override
    public long read(ByteBuffer[] dsts, int offs, int len) throws IOException {
        try {
            return next.read(dsts, offs, len);
        } catch (RuntimeException e) {
            throw malformed(e);
        }
    }

    @Override
    public long transferTo(long position, long count, FileChannel target) throws IOException {
        try {
            return next.transferTo(position, count, target);
        } catch (RuntimeException e) {
            throw malformed(e);
        }
    }

    @Override
    public long transferTo(long count, ByteBuffer throughBuffer, StreamSinkChannel target) throws IOException {
        try {
            return next.transferTo(count, throughBuffer, target);
        } catch (RuntimeException e) {
            throw malformed(e);
        }
    }

    private static IOException malformed(RuntimeException e) {
        return new IOException("malformed chunked body: " + e.getMessage(), e);
    }
}
