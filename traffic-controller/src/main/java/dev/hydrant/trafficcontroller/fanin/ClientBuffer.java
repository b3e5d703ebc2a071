package dev.hydrant.trafficcontroller.fanin;

import dev.hydrant.api.wire.EncodedEnvelope;
import dev.hydrant.plumbing.buffer.BatchBytes;
import dev.hydrant.plumbing.buffer.ByteShares;
import dev.hydrant.plumbing.buffer.ShareBoundBuffer;
import io.micrometer.core.instrument.Counter;
import java.util.List;
import java.util.Objects;

/**
 * The bounded buffer between the fan-in and one client: it holds {@code capacity} envelopes and at most
 * the client's share of bytes ({@link ByteShares}: client-buffer-bytes, or an equal share of
 * egress-buffer-bytes among all open clients when that is less; the newest envelope is always kept), and
 * drops the oldest beyond either bound, counting every loss ({@code dropped{direction=egress}}). An
 * envelope weighs its framed bytes and {@link ShareBoundBuffer#ENTRY_OVERHEAD}. Envelopes stay as the
 * bytes the Dopplers sent. Producers (gRPC threads of the Doppler streams) never wait. The client takes
 * envelopes only as fast as it asks for them, so memory is bounded whatever the clients do; how long the
 * client has kept envelopes waiting tells a slow consumer. Owned by one {@link ClientStream}.
 */
final class ClientBuffer {

    private final ShareBoundBuffer buffer;
    private final Counter dropped;
    private volatile Runnable onData = () -> { };
    private volatile long waitingSinceNanos = System.nanoTime();

    /**
     * @param capacity envelopes held at most (client-buffer-size)
     * @param shares   their bytes at most (client-buffer-bytes and egress-buffer-bytes)
     * @param dropped  counts envelopes lost because this client did not take them in time
     */
    ClientBuffer(int capacity, ByteShares shares, Counter dropped) {
        this.dropped = Objects.requireNonNull(dropped, "dropped");
        this.buffer = new ShareBoundBuffer(capacity, shares, dropped::increment);
    }

    /** Adds a batch, dropping the oldest envelopes if full. Never blocks, never throws. */
    void offer(List<EncodedEnvelope> batch) {
        if (batch.isEmpty()) {
            return;
        }
        if (buffer.offerAll(batch)) {
            waitingSinceNanos = System.nanoTime();
        }
        onData.run();
    }

    /** Drops the oldest envelopes (counted) that the client's byte share no longer allows. */
    void trimToShare() {
        buffer.trimToShare();
    }

    /** What the envelopes waiting now weigh. */
    long bytes() {
        return buffer.bytes();
    }

    /** Whether nothing waits in the buffer. */
    boolean isEmpty() {
        return buffer.size() == 0;
    }

    /**
     * Moves up to {@code max} envelopes, and no more than {@code bytes} admits (null: no byte bound),
     * into {@code sink} without waiting.
     */
    int drainTo(List<EncodedEnvelope> sink, int max, BatchBytes bytes) {
        int n = buffer.drainTo(sink, max, bytes);
        if (n > 0) {
            waitingSinceNanos = System.nanoTime();
        }
        return n;
    }

    /** Empties the buffer and counts what it held as dropped: its client went before taking it. */
    int discard() {
        int n = buffer.clear();
        if (n > 0) {
            dropped.increment(n);
        }
        return n;
    }

    /** Runs {@code listener} after each offer (on the offering thread); it must be quick. */
    void onData(Runnable listener) {
        this.onData = Objects.requireNonNull(listener, "listener");
    }

    /** How long the oldest waiting envelopes have waited for the client to take anything; 0 when empty. */
    long stalledNanos(long nowNanos) {
        return buffer.size() == 0 ? 0 : Math.max(0, nowNanos - waitingSinceNanos);
    }
}
