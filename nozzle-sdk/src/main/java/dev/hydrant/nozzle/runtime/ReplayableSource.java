package dev.hydrant.nozzle.runtime;

import java.util.List;

/**
 * A source that keeps what it delivers until it is told the sink has it, and delivers it again to the next
 * reader otherwise: a Kafka topic read by a consumer group. For such a source the runtime never drops: it
 * takes records only while its buffer has room ({@link SourceIntake#offer} says no when full, and the source
 * stops reading until there is room again), retries the sink until it succeeds or the runtime shuts down, and
 * after each written batch tells the source which records are done ({@link #written}).
 *
 * <p>The runtime calls {@link #start} once, then {@link #owns} and {@link #written} from its writer thread,
 * and {@link #close} once after its writer has stopped.
 */
public interface ReplayableSource {

    /** Starts reading into {@code intake} (from a thread of its own) and returns at once. */
    void start(SourceIntake intake);

    /**
     * Whether {@code record} may still be written by this reader: false once the source gave up the part of
     * its stream the record came from (a revoked partition), whose next reader reads it again. The runtime
     * leaves such records out of the batch and counts them as returned.
     */
    boolean owns(SourceRecord record);

    /**
     * The sink has taken {@code records} (in the order they were offered). Returns once the source has made
     * that durable (committed the offsets), or could not: the runtime writes the next batch only then, so at
     * most one batch is written and not yet committed at any time.
     */
    void written(List<SourceRecord> records) throws InterruptedException;

    /** Whether the source is reading: connected and not failed. For health. */
    boolean active();

    /** Stops reading, makes durable what is written, and releases the source (leaves the group). */
    void close();
}
