package dev.hydrant.doppler.egress;

import dev.hydrant.api.wire.EncodedEnvelope;
import dev.hydrant.doppler.routing.Router;
import dev.hydrant.doppler.routing.SubscriberSink;
import dev.hydrant.plumbing.buffer.BatchBytes;
import dev.hydrant.plumbing.buffer.ByteShares;
import dev.hydrant.plumbing.buffer.ShareBoundBuffer;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * One egress subscriber: its own drop-oldest buffer ({@link ShareBoundBuffer}, bounded in envelopes
 * and bytes), filled by the router on ingress threads and drained into its gRPC stream by a task on a
 * shared executor. The envelopes stay the bytes they arrived as: a batch is framed from them.
 *
 * <p>The drain task is scheduled when data arrives or the stream turns ready; an atomic flag keeps
 * at most one task per subscriber queued or running, so the executor's queue holds at most one
 * task per open subscription. The task sends batches while the stream {@code isReady()} (real gRPC
 * flow control), and stops when the buffer is empty or the stream is not ready; the stream's
 * on-ready handler schedules it again. A stalled subscriber therefore holds at most its buffer,
 * and loses its oldest envelopes, counted as dropped, while everyone else goes on.
 *
 * <p>A drained chunk (one {@code EnvelopeBatch} for {@code BatchedReceiver}) holds at most
 * {@code batch-size} envelopes and {@link BatchBytes#MAX_BATCH_BYTES} of them, so that no reader's
 * receive limit refuses it; an envelope bigger than that goes alone.
 */
final class SubscriberStream implements SubscriberSink {

    /** Batches sent per run before the task yields the executor to other subscribers. */
    private static final int BATCHES_PER_RUN = 16;

    private final ServerCallStreamObserver<?> call;
    private final Consumer<List<EncodedEnvelope>> writer;
    private final ShareBoundBuffer buffer;
    private final int batchSize;
    private final Executor executor;
    private final LongConsumer onSent;
    private final LongConsumer onDropped;
    private final Consumer<SubscriberStream> onClosed;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final BatchBytes bytes = BatchBytes.standard();
    private volatile Router.Registration registration;
    private volatile boolean completing;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param writer    sends one drained chunk on {@code call} (one batch message, or one message per envelope);
     *                  the chunk is its own
     * @param shares    the bytes this subscriber's buffer may hold
     * @param onSent    told how many envelopes went out
     * @param onDropped told how many envelopes this subscriber lost
     * @param onClosed  told once when this subscriber is gone
     */
    SubscriberStream(ServerCallStreamObserver<?> call, Consumer<List<EncodedEnvelope>> writer, int bufferSize,
                     ByteShares shares, int batchSize, Executor executor, LongConsumer onSent,
                     LongConsumer onDropped, Consumer<SubscriberStream> onClosed) {
        this.call = call;
        this.writer = writer;
        this.buffer = new ShareBoundBuffer(bufferSize, shares, onDropped);
        this.batchSize = batchSize;
        this.executor = executor;
        this.onSent = onSent;
        this.onDropped = onDropped;
        this.onClosed = onClosed;
    }

    void attach(Router.Registration registration) {
        this.registration = registration;
        if (closed.get()) {
            registration.close();
        }
    }

    @Override
    public void deliver(List<EncodedEnvelope> envelopes) {
        if (closed.get()) {
            return;
        }
        buffer.offerAll(envelopes);
        schedule();
    }

    /** Schedules a drain unless one is already queued or running. */
    void schedule() {
        if (!scheduled.get() && scheduled.compareAndSet(false, true)) {
            executor.execute(this::drain);
        }
    }

    private void drain() {
        try {
            int batches = 0;
            while (!closed.get() && batches < BATCHES_PER_RUN && call.isReady()) {
                List<EncodedEnvelope> chunk = new ArrayList<>(batchSize);
                int taken = buffer.drainTo(chunk, batchSize, bytes);
                if (taken == 0) {
                    break;
                }
                writer.accept(chunk);
                onSent.accept(taken);
                batches++;
            }
            if (completing && !closed.get() && buffer.size() == 0) {
                finish(); // a stream not ready now is drained again by its on-ready handler, until the grace ends
            }
        } catch (RuntimeException e) {
            // The call went away under us (cancelled or closed): this subscriber is done.
            close();
        } finally {
            scheduled.set(false);
        }
        boolean drained = buffer.size() == 0;
        if (!closed.get() && ((completing && drained) || (!drained && call.isReady()))) {
            schedule();
        }
    }

    private void finish() {
        close();
        call.onCompleted();
    }

    /**
     * Ends the stream gracefully: what is buffered is sent as the client takes it, then the stream
     * completes. Used at shutdown; a stream still open when the grace ends is cancelled, and
     * {@link #close()} counts what it still held.
     */
    void complete() {
        Router.Registration current = registration;
        if (current != null) {
            current.close();
        }
        completing = true;
        schedule();
    }

    /** Unsubscribes and frees the buffer; what was still buffered counts as dropped. */
    void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        Router.Registration current = registration;
        if (current != null) {
            current.close();
        }
        int left = buffer.clear();
        if (left > 0) {
            onDropped.accept(left);
        }
        onClosed.accept(this);
    }

    /** Drops the oldest buffered envelopes (counted) that its byte share no longer allows. */
    void trimToShare() {
        buffer.trimToShare();
    }

    int buffered() {
        return buffer.size();
    }

    long bufferedBytes() {
        return buffer.bytes();
    }

    boolean isClosed() {
        return closed.get();
    }
}
