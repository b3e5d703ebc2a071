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
 * {@code maxAttempts}; a batch that still fails is dropped and counted. A failing sink is logged once
 * when it starts failing and once when it recovers, never per batch. Used by one thread only.
 */
final class SinkWriter {

    private static final Logger LOG = LoggerFactory.getLogger(NozzleRuntime.class);

    private final NozzleSink sink;
    private final int maxAttempts;
    private final Duration minBackoff;
    private final Duration maxBackoff;
    private final LongAdder written;
    private final LongAdder sinkErrors;
    private final LongAdder droppedBySink;
    private volatile boolean healthy = true;
    private volatile String lastError = "";

    SinkWriter(NozzleSink sink, int maxAttempts, Duration minBackoff, Duration maxBackoff,
               LongAdder written, LongAdder sinkErrors, LongAdder droppedBySink) {
        this.sink = sink;
        this.maxAttempts = maxAttempts;
        this.minBackoff = minBackoff;
        this.maxBackoff = maxBackoff;
        this.written = written;
        this.sinkErrors = sinkErrors;
        this.droppedBySink = droppedBySink;
    }

    /**
     * @param deadlineNanos {@link System#nanoTime()} after which no more retries are made (shutdown), or
     *                      {@link Long#MAX_VALUE}
     */
    void write(List<Envelope> batch, long deadlineNanos) {
        for (int attempt = 1; ; attempt++) {
            try {
                sink.write(batch);
                written.add(batch.size());
                if (!healthy) {
                    healthy = true;
                    LOG.info("The sink accepts batches again");
                }
                return;
            } catch (Exception | LinkageError e) {
                sinkErrors.increment();
                lastError = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
                if (healthy) {
                    healthy = false;
                    LOG.warn("The sink failed ({}); retrying with backoff, dropping batches after {} attempts",
                            lastError, maxAttempts);
                }
                long backoff = backoffNanos(attempt);
                if (attempt >= maxAttempts || System.nanoTime() + backoff - deadlineNanos > 0) {
                    droppedBySink.add(batch.size());
                    return;
                }
                LockSupport.parkNanos(backoff);
                if (Thread.currentThread().isInterrupted()) {
                    droppedBySink.add(batch.size());
                    return;
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
