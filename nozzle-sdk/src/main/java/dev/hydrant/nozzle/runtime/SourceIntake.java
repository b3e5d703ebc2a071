package dev.hydrant.nozzle.runtime;

/**
 * The runtime's side of a {@link ReplayableSource}: where it puts what it reads. Called from the source's one
 * reading thread only.
 */
public interface SourceIntake {

    /**
     * Takes {@code record} if the buffer has room and the runtime is not shutting down; never blocks and never
     * drops. False means the source keeps the record and offers it again later, reading nothing more
     * meanwhile (backpressure).
     */
    boolean offer(SourceRecord record);
}
