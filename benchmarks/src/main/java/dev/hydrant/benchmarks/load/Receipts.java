package dev.hydrant.benchmarks.load;

import com.google.protobuf.ByteString;
import java.util.BitSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * What one consumer received: each envelope of the run once by its (emitter, sequence), the
 * latency from its timestamp to its receipt (microseconds, HdrHistogram), duplicates, foreign
 * envelopes, and whether a probe came through. Every consumer kind decodes its own wire format
 * and records here.
 *
 * <p>The run's envelopes are also counted in two windows by their timestamp (their send time): those
 * stamped in the first window ({@link #countFirstWindow}) and the rest, so that an
 * envelope that arrives late still counts in the window it was sent in.
 *
 * <p>One stream thread records at a time (each consumer's stream delivers serially); the counts
 * become visible to other threads at {@link #publish()}, which the consumer calls after each
 * batch or frame.
 */
final class Receipts {

    private static final long HIGHEST_LATENCY_MICROS = TimeUnit.HOURS.toMicros(1);

    private final BitSet[] seen;
    private final Histogram latencyMicros = new Histogram(HIGHEST_LATENCY_MICROS, 3);
    private final Histogram firstLatencyMicros = new Histogram(HIGHEST_LATENCY_MICROS, 3);
    private final Histogram restLatencyMicros = new Histogram(HIGHEST_LATENCY_MICROS, 3);
    private volatile FirstWindow firstWindow;
    private final CountDownLatch probeSeen = new CountDownLatch(1);

    private long pendingFresh;
    private long pendingFirst;
    private long pendingDuplicates;
    private long pendingForeign;
    private volatile long received;
    private volatile long receivedInFirstWindow;
    private volatile long duplicates;
    private volatile long foreign;
    private volatile long lastReceiveNanos;
    private volatile long lastActivityNanos;

    Receipts(int emitters) {
        this.seen = new BitSet[emitters];
        for (int i = 0; i < emitters; i++) {
            seen[i] = new BitSet();
        }
    }

    /**
     * Records an envelope of the measured run by its payload (written by {@link LoadEnvelopes}),
     * sent at {@code timestampNanos} and received at {@code nowEpochNanos}. A payload that holds
     * no (emitter, sequence) of this run counts as foreign.
     */
    void run(ByteString payload, long timestampNanos, long nowEpochNanos) {
        int emitter = LoadEnvelopes.emitterOf(payload);
        long sequence = LoadEnvelopes.sequenceOf(payload);
        if (emitter < 0 || emitter >= seen.length || sequence < 0 || sequence > Integer.MAX_VALUE) {
            pendingForeign++;
            return;
        }
        if (seen[emitter].get((int) sequence)) {
            pendingDuplicates++;
            return;
        }
        seen[emitter].set((int) sequence);
        pendingFresh++;
        long micros = Math.min(HIGHEST_LATENCY_MICROS, Math.max(0, (nowEpochNanos - timestampNanos) / 1_000));
        latencyMicros.recordValue(micros);
        FirstWindow window = firstWindow;
        if (window == null || window.contains(timestampNanos)) {
            pendingFirst++;
            firstLatencyMicros.recordValue(micros);
        } else {
            restLatencyMicros.recordValue(micros);
        }
    }

    /** Records a probe envelope: the path to this consumer is open. */
    void probe() {
        pendingForeign++;
        probeSeen.countDown();
    }

    /** Records an envelope that is not the run's (warm-up, self-metrics, undecodable ...). */
    void other() {
        pendingForeign++;
    }

    /** Makes what was recorded since the last call visible, and notes the activity. */
    void publish() {
        long now = System.nanoTime();
        if (pendingFresh > 0) {
            received += pendingFresh;
            receivedInFirstWindow += pendingFirst;
            lastReceiveNanos = now;
        }
        duplicates += pendingDuplicates;
        foreign += pendingForeign;
        pendingFresh = 0;
        pendingFirst = 0;
        pendingDuplicates = 0;
        pendingForeign = 0;
        lastActivityNanos = now;
    }

    /** Envelopes of the run stamped in {@code window} count as its; set before the run (until then all do). */
    void countFirstWindow(FirstWindow window) {
        firstWindow = window;
    }

    /** Distinct envelopes of the run stamped in the first window. */
    long receivedInFirstWindow() {
        return receivedInFirstWindow;
    }

    /** Latency of the first window's envelopes; read it only once the consumer is closed. */
    Histogram firstLatencyMicros() {
        return firstLatencyMicros;
    }

    /** Latency of the envelopes stamped after the first window; read it only once the consumer is closed. */
    Histogram restLatencyMicros() {
        return restLatencyMicros;
    }

    /** Waits until a probe envelope has come through. */
    boolean awaitProbe(long timeout, TimeUnit unit) throws InterruptedException {
        return probeSeen.await(timeout, unit);
    }

    long received() {
        return received;
    }

    long duplicates() {
        return duplicates;
    }

    long foreign() {
        return foreign;
    }

    /** System.nanoTime() of the last new envelope of the run, 0 if none came. */
    long lastReceiveNanos() {
        return lastReceiveNanos;
    }

    /** System.nanoTime() of the last batch or frame of any kind, 0 if none came. */
    long lastActivityNanos() {
        return lastActivityNanos;
    }

    /** The latency histogram; read it only once the consumer is closed. */
    Histogram latencyMicros() {
        return latencyMicros;
    }
}
