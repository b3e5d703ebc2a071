package dev.hydrant.nozzle.runtime;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one batch to the sink, retrying failures with exponential backoff and jitter up to
 * {@code maxAttempts}; the caller decides what a batch that still fails means (dropped, or returned to a
 * replayable source). A failing sink is logged once when it starts failing and once when it recovers, never
 * per batch. Used by one thread only.
 */
final class SinkWriter {

    private static final Logger LOG = LoggerFactory.getLogger(NozzleRuntime.class);

    private final NozzleSink sink;
    private final Duration minBackoff;
    private final Duration maxBackoff;
    private final LongAdder written;
    private final LongAdder sinkErrors;
    private volatile boolean healthy = true;
    private volatile String lastError = "";

    SinkWriter(NozzleSink sink, Duration minBackoff, Duration maxBackoff, LongAdder written, LongAdder sinkErrors) {
        this.sink = sink;
        this.minBackoff = minBackoff;
        this.maxBackoff = maxBackoff;
        this.written = written;
        this.sinkErrors = sinkErrors;
    }

    /**
     * Returns whether the sink took the batch.
     *
     * @param maxAttempts   attempts at most ({@link Integer#MAX_VALUE}: until the deadline)
     * @param deadlineNanos {@link System#nanoTime()} after which no more retries are made (shutdown), or
     *                      {@link Long#MAX_VALUE}
     */
    boolean write(List<Envelope> batch, int maxAttempts, long deadlineNanos) {
        for (int attempt = 1; ; attempt++) {
            try {
                sink.write(batch);
                written.add(batch.size());
                if (!healthy) {
                    healthy = true;
                    LOG.info("The sink accepts batches again");
                }
                return true;
            } catch (Exception | LinkageError e) {
                sinkErrors.increment();
                lastError = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
                if (healthy) {
                    healthy = false;
                    if (maxAttempts == Integer.MAX_VALUE) {
                        LOG.warn("The sink failed ({}); retrying with backoff until it succeeds", lastError);
                    } else {
                        LOG.warn("The sink failed ({}); retrying with backoff, dropping batches after {} attempts",
                                lastError, maxAttempts);
                    }
                }
                long backoff = backoffNanos(attempt);
                if (attempt >= maxAttempts || System.nanoTime() + backoff - deadlineNanos > 0) {
                    return false;
                }
                LockSupport.parkNanos(backoff);
                if (Thread.currentThread().isInterrupted()) {
                    return false;
                }
            }
        }
    }

    private long backoffNanos(int attempt) {
        long base = minBackoff.toNanos() << Math.min(attempt - 1, 20);
        long capped = Math.min(base <= 0 ? Long.MAX_VALUE : base, maxBackoff.toNanos());
        return capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
    }

    boolean healthy() {
        return healthy;
    }

    String lastError() {
        return lastError;
    }
}
