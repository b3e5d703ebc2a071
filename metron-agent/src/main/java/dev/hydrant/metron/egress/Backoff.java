package dev.hydrant.metron.egress;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter: the first wait is about {@code initial}, each failure doubles
 * it up to {@code max}, and every wait is drawn between half and all of the current step so that
 * agents do not reconnect in lockstep. Used by one worker thread; {@link #reset()} may be called
 * from any thread.
 */
final class Backoff {

    private final long initialNanos;
    private final long maxNanos;
    private volatile long stepNanos;

    Backoff(Duration initial, Duration max) {
        this.initialNanos = initial.toNanos();
        this.maxNanos = Math.max(initialNanos, max.toNanos());
        this.stepNanos = initialNanos;
    }

    /** The next wait, in nanoseconds; the step after it is twice as long (capped). */
    long nextNanos() {
        long step = stepNanos;
        stepNanos = Math.min(maxNanos, step * 2);
        return step / 2 + ThreadLocalRandom.current().nextLong(step / 2 + 1);
    }

    /** Back to the initial step, after a success. */
    void reset() {
        stepNanos = initialNanos;
    }
}
