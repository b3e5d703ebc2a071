package dev.hydrant.nozzle.runtime;

import dev.hydrant.plumbing.buffer.DropOldestBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.cloudfoundry.loggregator.v2.Envelope;

/**
 * A {@link ReplayableSource}: its records are taken only while the buffer has room (so the buffer never drops),
 * the sink is retried until it takes a batch or the runtime shuts down, and the source is told what was
 * written. What is not written (shutdown, a revoked partition) is returned: the source delivers it again, to
 * this nozzle after a restart or to the partition's next reader, so it is counted as returned, not dropped.
 */
final class ReplayLane extends Lane<SourceRecord> implements SourceIntake {

    private final ReplayableSource source;
    private final RuntimeCounters counters;
    private volatile boolean stopping;

    ReplayLane(ReplayableSource source, int bufferSize, RuntimeCounters counters) {
        super(new DropOldestBuffer<>(bufferSize, counters.droppedByBuffer()::add));
        this.source = source;
        this.counters = counters;
    }

    @Override
    public boolean offer(SourceRecord record) {
        if (stopping || buffer.size() >= buffer.capacity()) {
            return false;
        }
        buffer.offer(record);
        counters.received().increment();
        return true;
    }

    @Override
    List<Envelope> envelopes(List<SourceRecord> batch) {
        List<Envelope> envelopes = new ArrayList<>(batch.size());
        for (Iterator<SourceRecord> records = batch.iterator(); records.hasNext(); ) {
            SourceRecord record = records.next();
            if (source.owns(record)) {
                envelopes.add(record.envelope());
            } else {
                records.remove();
                counters.returned().increment();
            }
        }
        return envelopes;
    }

    @Override
    int maxAttempts() {
        return Integer.MAX_VALUE;
    }

    @Override
    void written(List<SourceRecord> batch) throws InterruptedException {
        source.written(List.copyOf(batch));
    }

    @Override
    void unwritten(int count) {
        counters.returned().add(count);
    }

    @Override
    void leftAtShutdown(int count) {
        counters.returned().add(count);
    }

    @Override
    boolean active() {
        return source.active();
    }

    @Override
    void stopReading() {
        stopping = true;
    }

    @Override
    void close() {
        source.close();
    }
}
