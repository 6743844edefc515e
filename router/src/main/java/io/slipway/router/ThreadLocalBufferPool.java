package io.slipway.router;

import io.undertow.connector.ByteBufferPool;
import io.undertow.connector.PooledByteBuffer;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Undertow's buffers, kept per thread. Undertow's own pool looks its per-thread cache up in a
 * synchronized map on every allocation and every release; the router's IO threads are few, long-lived
 * platform threads, so a plain {@link ThreadLocal} does the same without a lock. Buffers released on
 * another thread, or past {@link #PER_THREAD}, go to a shared queue of at most {@link #SHARED}.
 */
final class ThreadLocalBufferPool implements ByteBufferPool {
    static final int PER_THREAD = 64;
    static final int SHARED = 1024;

    private final boolean direct;
    private final int size;
    private final ThreadLocal<ArrayDeque<ByteBuffer>> local = ThreadLocal.withInitial(ArrayDeque::new);
    private final ConcurrentLinkedQueue<ByteBuffer> shared = new ConcurrentLinkedQueue<>();
    private final AtomicInteger sharedCount = new AtomicInteger();
    private final ThreadLocalBufferPool arrayBacked;
    private volatile boolean closed;

    ThreadLocalBufferPool(boolean direct, int size) {
        this.direct = direct;
        this.size = size;
        this.arrayBacked = direct ? new ThreadLocalBufferPool(false, size) : this;
    }

    @Override
    public PooledByteBuffer allocate() {
        ByteBuffer b = local.get().pollLast();
        if (b == null) {
            b = shared.poll();
            if (b != null) {
                sharedCount.decrementAndGet();
            } else {
                b = direct ? ByteBuffer.allocateDirect(size) : ByteBuffer.allocate(size);
            }
        }
        b.clear();
        return new Pooled(b);
    }

    private void release(ByteBuffer b) {
        if (closed) {
            return;
        }
        ArrayDeque<ByteBuffer> mine = local.get();
        if (mine.size() < PER_THREAD) {
            mine.addLast(b);
        } else if (sharedCount.incrementAndGet() <= SHARED) {
            shared.offer(b);
        } else {
            sharedCount.decrementAndGet(); // let the GC have it
        }
    }

    @Override
    public ByteBufferPool getArrayBackedPool() {
        return arrayBacked;
    }

    @Override
    public void close() {
        closed = true;
        shared.clear();
        if (arrayBacked != this) {
            arrayBacked.close();
        }
    }

    @Override
    public int getBufferSize() {
        return size;
    }

    @Override
    public boolean isDirect() {
        return direct;
    }

    private final class Pooled implements PooledByteBuffer {
        private ByteBuffer buffer;

        Pooled(ByteBuffer buffer) {
            this.buffer = buffer;
        }

        @Override
        public ByteBuffer getBuffer() {
            ByteBuffer b = buffer;
            if (b == null) {
                throw new IllegalStateException("buffer already released");
            }
            return b;
        }

        @Override
        public void close() {
            ByteBuffer b = buffer;
            if (b != null) {
                buffer = null;
                release(b);
            }
        }

        @Override
        public boolean isOpen() {
            return buffer != null;
        }
    }
}
