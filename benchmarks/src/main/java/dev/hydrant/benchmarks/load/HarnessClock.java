package dev.hydrant.benchmarks.load;

/**
 * The harness's one clock: UNIX nanoseconds read from the monotonic clock, anchored once to
 * the wall clock. Emitters stamp envelopes with it and consumers, in the same process, measure
 * latency against it, so wall-clock steps during a run cannot bend the figures.
 */
final class HarnessClock {

    private final long epochNanosAtStart;
    private final long monotonicAtStart;

    HarnessClock() {
        this.epochNanosAtStart = System.currentTimeMillis() * 1_000_000L;
        this.monotonicAtStart = System.nanoTime();
    }

    /** UNIX time in nanoseconds. */
    long nowEpochNanos() {
        return epochNanosAtStart + (System.nanoTime() - monotonicAtStart);
    }
}
