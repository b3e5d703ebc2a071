package dev.hydrant.nozzle.runtime;

import dev.hydrant.plumbing.buffer.DropOldestBuffer;
import java.util.List;
import org.cloudfoundry.loggregator.v2.Envelope;

/**
 * The writer's view of where its entries come from: the buffer it takes batches from, and what a written or
 * an unwritten batch means for the source. One per runtime, chosen by how it is started.
 *
 * @param <T> what the buffer holds
 */
abstract class Lane<T> {

    final DropOldestBuffer<T> buffer;

    Lane(DropOldestBuffer<T> buffer) {
        this.buffer = buffer;
    }

    /** Leaves out of {@code batch} what must not be written and returns the envelopes to hand to the sink. */
    abstract List<Envelope> envelopes(List<T> batch);

    /** Sink attempts per batch before it is given up. */
    abstract int maxAttempts();

    /** The sink took {@code batch} (as {@link #envelopes} left it). */
    abstract void written(List<T> batch) throws InterruptedException;

    /** The sink did not take {@code count} entries: attempts ran out, or the shutdown deadline did. */
    abstract void unwritten(int count);

    /** {@code count} entries were still buffered when the runtime stopped. */
    abstract void leftAtShutdown(int count);

    /** Whether the stream still delivers. */
    abstract boolean active();

    /** The runtime is shutting down: take nothing more. */
    abstract void stopReading();

    /** Releases the source; called once the writer has stopped. */
    abstract void close();
}
