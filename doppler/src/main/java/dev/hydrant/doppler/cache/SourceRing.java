package dev.hydrant.doppler.cache;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import dev.hydrant.api.wire.EncodedEnvelope;

/**
 * The most recent envelopes of one source id, oldest overwritten first. Its array grows on demand
 * up to {@code capacity}, so ten thousand quiet sources do not each reserve a full ring. Guarded by
 * its own monitor; writers take it once per run of envelopes, not once per envelope.
 */
final class SourceRing {

    private static final int INITIAL_CAPACITY = 16;
    /** Heap an envelope takes beside its bytes: its object, its byte array's header and a slot here. */
    static final int ENTRY_OVERHEAD = 64;

    private final int capacity;
    private EncodedEnvelope[] ring;
    private int head;
    private int size;
    private long bytes;
    private long expired;
    private boolean removed;
    /** Stamp of the last write or read, for least-recently-used eviction. */
    private volatile long lastUsed;

    SourceRing(int capacity) {
        this.capacity = capacity;
        this.ring = new EncodedEnvelope[Math.min(capacity, INITIAL_CAPACITY)];
    }

    /**
     * Appends {@code batch[from, to)}; returns the change in held bytes, or {@link Long#MIN_VALUE}
     * when this ring was evicted meanwhile and the caller must use a fresh one.
     */
    synchronized long append(List<EncodedEnvelope> batch, int from, int to, long stamp) {
        if (removed) {
            return Long.MIN_VALUE;
        }
        long delta = 0;
        for (int i = from; i < to; i++) {
            EncodedEnvelope envelope = batch.get(i);
            if (size == ring.length && size < capacity) {
                grow();
            }
            if (size == capacity) {
                delta -= weight(ring[head]);
                ring[head] = envelope;
                head = (head + 1) % capacity;
                expired++;
            } else {
                ring[(head + size) % ring.length] = envelope;
                size++;
            }
            delta += weight(envelope);
        }
        bytes += delta;
        lastUsed = stamp;
        return delta;
    }

    /** What an envelope weighs against the cache's byte bound: its encoded size and its overhead. */
    static long weight(EncodedEnvelope envelope) {
        return envelope.size() + (long) ENTRY_OVERHEAD;
    }

    private void grow() {
        EncodedEnvelope[] larger = new EncodedEnvelope[Math.min(capacity, ring.length * 2)];
        for (int i = 0; i < size; i++) {
            larger[i] = ring[(head + i) % ring.length];
        }
        ring = larger;
        head = 0;
    }

    /** Marks the ring evicted and returns the bytes it held. */
    synchronized long remove() {
        removed = true;
        long held = bytes;
        Arrays.fill(ring, null);
        size = 0;
        bytes = 0;
        return held;
    }

    /** The held envelopes that pass {@code query}'s filters, oldest first. */
    synchronized List<EncodedEnvelope> matching(ReadQuery query, long stamp) {
        lastUsed = stamp;
        List<EncodedEnvelope> found = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            EncodedEnvelope envelope = ring[(head + i) % ring.length];
            if (query.accepts(envelope)) {
                found.add(envelope);
            }
        }
        return found;
    }

    synchronized SourceStats stats() {
        long oldest = Long.MAX_VALUE;
        long newest = Long.MIN_VALUE;
        for (int i = 0; i < size; i++) {
            long timestamp = ring[(head + i) % ring.length].timestamp();
            oldest = Math.min(oldest, timestamp);
            newest = Math.max(newest, timestamp);
        }
        return size == 0 ? new SourceStats(0, expired, 0, 0) : new SourceStats(size, expired, oldest, newest);
    }

    long lastUsed() {
        return lastUsed;
    }
}
