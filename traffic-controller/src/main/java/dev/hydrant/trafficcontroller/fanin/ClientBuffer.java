package dev.hydrant.trafficcontroller.fanin;

import dev.hydrant.plumbing.buffer.BatchBytes;
import dev.hydrant.plumbing.buffer.DropOldestBuffer;
import io.micrometer.core.instrument.Counter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.cloudfoundry.loggregator.v2.Envelope;

/**
 * The bounded buffer between the fan-in and one client: it holds {@code capacity} envelopes and
 * drops the oldest when full, counting every loss ({@code dropped{direction=egress}}). Producers
 * (gRPC threads of the Doppler streams) never wait. The client takes envelopes only as fast as
 * it asks for them, so memory per client is bounded whatever the client does; how long the
 * client has kept envelopes waiting tells a slow consumer. Owned by one {@link ClientStream}.
 */
final class ClientBuffer {

    private final DropOldestBuffer<Envelope> buffer;
    private final Counter dropped;
    private volatile Runnable onData = () -> { };
    private volatile long waitingSinceNanos = System.nanoTime();

    /** @param dropped counts envelopes lost because this client did not take them in time */
    ClientBuffer(int capacity, Counter dropped) {
        this.dropped = Objects.requireNonNull(dropped, "dropped");
        this.buffer = new DropOldestBuffer<>(capacity, dropped::increment);
    }

    /** Adds a batch, dropping the oldest envelopes if full. Never blocks, never throws. */
    void offer(List<Envelope> batch) {
        if (buffer.offerAll(batch)) {
            waitingSinceNanos = System.nanoTime();
        }
        onData.run();
    }

    /** Whether nothing waits in the buffer. */
    boolean isEmpty() {
        return buffer.size() == 0;
    }

    /**
     * Moves up to {@code max} envelopes, and no more than {@code bytes} admits (null: no byte bound),
     * into {@code sink} without waiting.
     */
    int drainTo(List<Envelope> sink, int max, BatchBytes bytes) {
        int n = buffer.drainTo(sink, max, bytes);
        if (n > 0) {
            waitingSinceNanos = System.nanoTime();
        }
        return n;
    }

    /** Empties the buffer and counts what it held as dropped: its client went before taking it. */
    int discard() {
        int n = buffer.drainTo(new ArrayList<>(buffer.size()), Integer.MAX_VALUE);
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
