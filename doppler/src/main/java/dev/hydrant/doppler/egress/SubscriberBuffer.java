package dev.hydrant.doppler.egress;

import dev.hydrant.api.wire.EncodedEnvelope;
import dev.hydrant.plumbing.buffer.BatchBytes;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.function.Predicate;

/**
 * One subscriber's drop-oldest buffer of envelopes as bytes, bounded in envelopes and in bytes: the
 * oldest go (counted) until both bounds hold; the newest is always kept. The byte bound is the
 * subscriber's {@link ByteShares#share()}, read at each delivery and when another subscription opens
 * ({@link #trimToShare()}).
 *
 * <p>An envelope weighs its encoded size in a batch plus {@link #ENTRY_OVERHEAD} for the objects that
 * hold it, so that the byte bounds are what the buffers take of the heap even for tiny envelopes. The
 * array grows with use, so a quiet subscriber does not reserve room for its whole bound. One lock per
 * batch delivered and per batch drained.
 */
final class SubscriberBuffer {

    /** Heap an envelope takes beside its bytes: its object, its byte array's header and a slot here. */
    static final int ENTRY_OVERHEAD = 64;

    private final int capacity;
    private final ByteShares shares;
    private final LongConsumer onDrop;
    private final ArrayDeque<EncodedEnvelope> entries = new ArrayDeque<>();
    private long bytes;

    SubscriberBuffer(int capacity, ByteShares shares, LongConsumer onDrop) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.capacity = capacity;
        this.shares = shares;
        this.onDrop = onDrop;
    }

    static long weight(EncodedEnvelope envelope) {
        return envelope.framedSize() + (long) ENTRY_OVERHEAD;
    }

    /** Adds the envelopes in order, dropping the oldest as the bounds require. */
    void offerAll(List<EncodedEnvelope> envelopes) {
        long dropped = 0;
        synchronized (this) {
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
        }
        if (dropped > 0) {
            onDrop.accept(dropped);
        }
    }

    /** Drops the oldest (counted) until what is held fits the subscriber's share now, the newest kept. */
    void trimToShare() {
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
     * {@code batch}'s bound takes (started here); returns how many.
     */
    synchronized int drainTo(List<EncodedEnvelope> sink, int max, BatchBytes batch) {
        Predicate<EncodedEnvelope> admit = batch.start().encoded();
        int taken = 0;
        while (taken < max && !entries.isEmpty() && admit.test(entries.peekFirst())) {
            EncodedEnvelope envelope = entries.pollFirst();
            bytes -= weight(envelope);
            sink.add(envelope);
            taken++;
        }
        return taken;
    }

    /** Empties the buffer; returns how many envelopes it held. */
    synchronized int clear() {
        int held = entries.size();
        entries.clear();
        bytes = 0;
        return held;
    }

    synchronized int size() {
        return entries.size();
    }

    /** The weight of what is held now. */
    synchronized long bytes() {
        return bytes;
    }
}
