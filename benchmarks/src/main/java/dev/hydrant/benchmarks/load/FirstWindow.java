package dev.hydrant.benchmarks.load;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The first window of a measured run: it starts at the stamp of the first batch any emitter sends (so
 * that setting up the emitters' connections is not in it) and lasts a set time. Emitters, the consumers'
 * receipts and the run's monitor share it; an envelope is in it when its timestamp is before its end.
 */
final class FirstWindow {

    private final long lengthNanos;
    private final Runnable onStart;
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile long endEpochNanos = Long.MAX_VALUE;

    /**
     * @param seconds how long the window lasts
     * @param onStart run once, on the emitter's thread, when the first batch is stamped: keep it short
     */
    FirstWindow(int seconds, Runnable onStart) {
        this.lengthNanos = TimeUnit.SECONDS.toNanos(seconds);
        this.onStart = onStart;
    }

    /** Called by an emitter with the stamp of a batch it is about to send; the first call starts the window. */
    void sending(long stampEpochNanos) {
        if (endEpochNanos == Long.MAX_VALUE && started.compareAndSet(false, true)) {
            endEpochNanos = stampEpochNanos + lengthNanos;
            onStart.run();
        }
    }

    /** Whether an envelope stamped {@code stampEpochNanos} is in the window (all are, until it has started). */
    boolean contains(long stampEpochNanos) {
        return stampEpochNanos < endEpochNanos;
    }
}
