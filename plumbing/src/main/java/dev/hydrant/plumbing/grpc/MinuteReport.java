package dev.hydrant.plumbing.grpc;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts occurrences of something that must not be logged one by one, and says when a report of
 * them is due: at the first, then at most once a minute, each with how many there were since the
 * report before. Safe from any thread.
 */
final class MinuteReport {

    private static final long INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final AtomicLong lastReported = new AtomicLong(System.nanoTime() - INTERVAL_NANOS);
    private final AtomicLong since = new AtomicLong();

    /** Counts one occurrence; how many there were since the last report when one is due now, else 0. */
    long occurred() {
        since.incrementAndGet();
        long now = System.nanoTime();
        long last = lastReported.get();
        if (now - last >= INTERVAL_NANOS && lastReported.compareAndSet(last, now)) {
            return since.getAndSet(0);
        }
        return 0;
    }
}
