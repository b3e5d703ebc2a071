package dev.hydrant.plumbing.buffer;

import dev.hydrant.api.wire.EncodedEnvelope;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.function.LongConsumer;
import java.util.function.Predicate;

/**
 * One reader's drop-oldest buffer of envelopes as bytes (a Doppler's subscriber, a Traffic Controller's
 * client), bounded in envelopes and in bytes: the oldest go (counted) until both bounds hold; the newest
 * is always kept. The byte bound is the reader's {@link ByteShares#share()}, read at each delivery and
 * when another reader opens ({@link #trimToShare()}), so that all the buffers of one process together
 * stay within its total.
 *
 * <p>An envelope weighs its encoded size in a batch plus {@link #ENTRY_OVERHEAD} for the objects that
 * hold it, so that the byte bounds are what the buffers take of the heap even for tiny envelopes. The
 * array grows with use, so a quiet reader does not reserve room for its whole bound, and a buffer that a
 * burst made large lets its array go once it is emptied. One lock per batch delivered and per batch
 * drained.
 */
public final class ShareBoundBuffer {

    /** Heap an envelope takes beside its bytes: its object, its byte array's header and a slot here. */
    public static final int ENTRY_OVERHEAD = 64;
    /**
     * Held entries beyond which the array is let go when the buffer is emptied: what is kept (at most
     * 2,048 slots, 8 KiB) is no more than the preallocated buffers of 1,000 held before, and a burst
     * that outgrew it has cost ten batches' sending, beside which growing the array again is little.
     */
    private static final int KEPT_SLOTS = 1024;

    private final int capacity;
    private final ByteShares shares;
    private final LongConsumer onDrop;
    private ArrayDeque<EncodedEnvelope> entries = new ArrayDeque<>();
    private long bytes;
    private int peak;

    /**
     * @param capacity envelopes held at most
     * @param shares   the bytes held at most, read at each delivery
     * @param onDrop   told how many envelopes were dropped, every time some are (not under the lock)
     */
    public ShareBoundBuffer(int capacity, ByteShares shares, LongConsumer onDrop) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.capacity = capacity;
        this.shares = Objects.requireNonNull(shares, "shares");
        this.onDrop = Objects.requireNonNull(onDrop, "onDrop");
    }

    /** What an envelope weighs here: its framed size and {@link #ENTRY_OVERHEAD}. */
    public static long weight(EncodedEnvelope envelope) {
        return envelope.framedSize() + (long) ENTRY_OVERHEAD;
    }

    /**
     * Adds the envelopes in order, dropping the oldest as the bounds require; returns whether the
     * buffer was empty before.
     */
    public boolean offerAll(List<EncodedEnvelope> envelopes) {
        long dropped = 0;
        boolean wasEmpty;
        synchronized (this) {
            wasEmpty = entries.isEmpty();
            long limit = shares.share();
            for (int i = 0, n = envelopes.size(); i < n; i++) {
                EncodedEnvelope envelope = envelopes.get(i);
                entries.addLast(envelope);
                bytes += weight(envelope);
                while (entries.size() > capacity || bytes > limit && entries.size() > 1) {
                    bytes -= weight(entries.pollFirst());
                    dropped++;
                }
            }
            peak = Math.max(peak, entries.size());
        }
        if (dropped > 0) {
            onDrop.accept(dropped);
        }
        return wasEmpty;
    }

    /** Drops the oldest (counted) until what is held fits the reader's share now, the newest kept. */
    public void trimToShare() {
        long dropped = 0;
        synchronized (this) {
            long limit = shares.share();
            while (bytes > limit && entries.size() > 1) {
                bytes -= weight(entries.pollFirst());
                dropped++;
            }
        }
        if (dropped > 0) {
            onDrop.accept(dropped);
        }
    }

    /**
     * Moves up to {@code max} of the oldest envelopes into {@code sink}, as many as one batch of
     * {@code batch}'s bound takes (started here; null: no byte bound); returns how many.
     */
    public synchronized int drainTo(List<EncodedEnvelope> sink, int max, BatchBytes batch) {
        Predicate<EncodedEnvelope> admit = batch == null ? null : batch.start().encoded();
        int taken = 0;
        while (taken < max && !entries.isEmpty() && (admit == null || admit.test(entries.peekFirst()))) {
            EncodedEnvelope envelope = entries.pollFirst();
            bytes -= weight(envelope);
            sink.add(envelope);
            taken++;
        }
        if (entries.isEmpty()) {
            release();
        }
        return taken;
    }

    /** Empties the buffer; returns how many envelopes it held. */
    public synchronized int clear() {
        int held = entries.size();
        entries.clear();
        bytes = 0;
        release();
        return held;
    }

    private void release() {
        if (peak > KEPT_SLOTS) {
            entries = new ArrayDeque<>(); // an ArrayDeque never shrinks: a burst's array goes with it
        }
        peak = 0;
    }

    public synchronized int size() {
        return entries.size();
    }

    /** The weight of what is held now. */
    public synchronized long bytes() {
        return bytes;
    }
}
