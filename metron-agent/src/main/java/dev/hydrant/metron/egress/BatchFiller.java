package dev.hydrant.metron.egress;

import dev.hydrant.api.wire.EncodedEnvelope;
import dev.hydrant.plumbing.buffer.BatchBytes;
import dev.hydrant.plumbing.buffer.DropOldestBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.function.BooleanSupplier;

/**
 * The batch one {@link StreamWorker} fills: envelopes taken from the agent's shared buffer, until
 * it holds {@code batch-size} envelopes or {@link BatchBytes#MAX_BATCH_BYTES} of framed envelope bytes or the interval
 * passes, whichever comes first, in turn with the other workers. An envelope bigger than the byte
 * bound goes alone in its batch; one that would take a batch over it stays, the oldest, for the
 * next. It decides nothing about streams; the worker says when to fill, writes the batch and
 * reports it {@link #sent()}. Each take from the buffer is registered with the agent's {@link Departures}; the
 * ranges of the batch in hand go with it ({@link #ranges()}) to the stream that settles them.
 * Used by its worker's thread only; {@link #holding()} may be read from any thread.
 */
final class BatchFiller {

    /** Longest a fill waits on the buffer or for its turn before looking at stop requests again. */
    static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final DropOldestBuffer<EncodedEnvelope> buffer;
    private final int batchSize;
    private final Lock turn;
    private final List<EncodedEnvelope> batch;
    private final BatchBytes bytes;
    private final Departures departures;
    /** The takes of the batch in hand. */
    private final List<Departures.Range> ranges = new ArrayList<>();
    private final DropOldestBuffer.Drained registered;
    private volatile int holding;

    /**
     * @param turn shared by all workers of the pool, fair: workers take batches from the buffer in
     *             turn, so that batches are spread over the Dopplers rather than taken by whoever is fastest
     */
    BatchFiller(DropOldestBuffer<EncodedEnvelope> buffer, int batchSize, Lock turn, Departures departures) {
        this.buffer = buffer;
        this.departures = departures;
        this.registered = (first, count) -> ranges.add(this.departures.taken(first, count));
        this.batchSize = batchSize;
        this.turn = turn;
        this.batch = new ArrayList<>(batchSize);
        this.bytes = BatchBytes.standard();
    }

    /**
     * Tops the batch up from the buffer, waiting until {@code untilNanos} (System.nanoTime) for it to
     * fill. The wait is sliced so that a stop or an ended stream is noticed without waiting a whole
     * interval: once {@code stopping} is true it takes only what is there, without waiting; once
     * {@code streamEnded} is true it returns after the current slice. When another worker has the
     * turn for a whole slice it returns without taking anything.
     */
    void fill(long untilNanos, BooleanSupplier stopping, BooleanSupplier streamEnded) throws InterruptedException {
        if (isFull()) {
            return; // kept from a stream that ended before it was written: it goes as it is
        }
        if (!turn.tryLock(SLICE_NANOS, TimeUnit.NANOSECONDS)) {
            return; // another worker's turn; let ours look at its stream and come back
        }
        try {
            do {
                long slice = stopping.getAsBoolean() ? 0
                        : Math.max(0, Math.min(SLICE_NANOS, untilNanos - System.nanoTime()));
                buffer.drainTo(batch, batchSize - batch.size(), bytes.encoded(), slice, TimeUnit.NANOSECONDS, registered);
                holding = batch.size();
            } while (batch.size() < batchSize && !bytes.full() && System.nanoTime() < untilNanos
                    && !stopping.getAsBoolean() && !streamEnded.getAsBoolean());
        } finally {
            turn.unlock();
        }
    }

    /** The batch in hand, to be written; read it before {@link #sent()}. */
    List<EncodedEnvelope> batch() {
        return batch;
    }

    /** The takes of the batch in hand, for the stream that carries it; read it before {@link #sent()}. */
    List<Departures.Range> ranges() {
        return ranges;
    }

    boolean isEmpty() {
        return batch.isEmpty();
    }

    /** Whether the batch in hand takes no more envelopes, by count or by bytes. */
    private boolean isFull() {
        return batch.size() >= batchSize || bytes.full();
    }

    /** The batch in hand was written: start a new one. */
    void sent() {
        batch.clear();
        ranges.clear();
        bytes.start();
        holding = 0;
    }

    /** Puts the batch in hand back into the buffer (taken but not written), for the other workers. */
    void giveBack() {
        if (!batch.isEmpty()) {
            buffer.offerAll(batch);
            long offered = buffer.offered(); // at least the numbers the batch has now: its takes wait for them
            for (Departures.Range range : ranges) {
                range.givenBack(offered);
            }
            sent();
        }
    }

    /** Envelopes taken from the buffer for the batch in hand, not yet written. */
    int holding() {
        return holding;
    }

    /** Whether anything is waiting to be sent: in the batch in hand or in the shared buffer. */
    boolean anythingWaiting() {
        return holding > 0 || buffer.size() > 0;
    }
}
