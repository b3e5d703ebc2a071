package dev.hydrant.nozzle.runtime;

import java.util.List;
import org.cloudfoundry.loggregator.v2.Envelope;

/**
 * Where a nozzle puts what it reads: the one class a nozzle writes. {@link #write} is called from a single
 * thread, one batch at a time, and may block (it holds up only this nozzle's buffer, never its connection).
 * Throwing means the batch was not written: the runtime retries it with backoff, then drops and counts it.
 */
@FunctionalInterface
public interface NozzleSink {

    /** Writes the batch (never empty; the list is the sink's to keep). */
    void write(List<Envelope> batch) throws Exception;
}
