package dev.hydrant.nozzle.runtime;

/**
 * A snapshot of a running nozzle, for health checks: up while it runs, its stream has not ended and its
 * sink's last write succeeded (or none was due yet).
 *
 * @param running        started and not closed
 * @param streamActive   the envelope stream has not ended (it reconnects by itself; it ends only on a bad request)
 * @param sinkHealthy    the last sink write succeeded, or none failed yet
 * @param received       envelopes read from the source (the Traffic Controller, or the Kafka topic)
 * @param written        envelopes the sink accepted
 * @param dropped        envelopes lost: buffer overflow, sink retries exhausted, not flushed at shutdown
 * @param sinkErrors     failed sink write attempts
 * @param buffered       envelopes waiting now
 * @param bufferCapacity the most that can wait
 * @param lastSinkError  the last sink failure, or empty
 */
public record NozzleHealth(boolean running, boolean streamActive, boolean sinkHealthy, long received, long written,
                           long dropped, long sinkErrors, int buffered, int bufferCapacity, String lastSinkError) {

    public boolean up() {
        return running && streamActive && sinkHealthy;
    }
}
