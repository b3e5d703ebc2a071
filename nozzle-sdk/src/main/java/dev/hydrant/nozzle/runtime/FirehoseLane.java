package dev.hydrant.nozzle.runtime;

import dev.hydrant.plumbing.buffer.DropOldestBuffer;
import java.util.List;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.reactivestreams.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;

/**
 * A live stream (the Traffic Controller's): read as fast as it comes, so the server never sees a slow
 * consumer, into a drop-oldest buffer. What the buffer pushes out, the sink refuses every attempt or the
 * shutdown leaves behind is lost, and counted.
 */
final class FirehoseLane extends Lane<Envelope> {

    private static final Logger LOG = LoggerFactory.getLogger(NozzleRuntime.class);

    private final String name;
    private final int maxAttempts;
    private final RuntimeCounters counters;
    private final Reader reader = new Reader();
    private volatile boolean streamActive = true;
    private volatile boolean stopping;

    FirehoseLane(String name, int bufferSize, int maxAttempts, RuntimeCounters counters) {
        super(new DropOldestBuffer<>(bufferSize, counters.droppedByBuffer()::add));
        this.name = name;
        this.maxAttempts = maxAttempts;
        this.counters = counters;
    }

    void subscribe(Flux<List<Envelope>> batches) {
        batches.subscribe(reader);
    }

    @Override
    List<Envelope> envelopes(List<Envelope> batch) {
        return List.copyOf(batch);
    }

    @Override
    int maxAttempts() {
        return maxAttempts;
    }

    @Override
    void written(List<Envelope> batch) {
    }

    @Override
    void unwritten(int count) {
        counters.droppedBySink().add(count);
    }

    @Override
    void leftAtShutdown(int count) {
        counters.droppedAtShutdown().add(count);
    }

    @Override
    boolean active() {
        return streamActive;
    }

    @Override
    void stopReading() {
        stopping = true;
        reader.dispose();
    }

    @Override
    void close() {
    }

    /** Takes everything the stream offers at once: the buffer, not the connection, absorbs a slow sink. */
    private final class Reader extends BaseSubscriber<List<Envelope>> {

        @Override
        protected void hookOnSubscribe(Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        protected void hookOnNext(List<Envelope> batch) {
            counters.received().add(batch.size());
            buffer.offerAll(batch);
        }

        @Override
        protected void hookOnError(Throwable error) {
            streamActive = false;
            LOG.error("The envelope stream of nozzle {} failed and will not be reopened: {}", name, error.toString());
        }

        @Override
        protected void hookOnComplete() {
            streamActive = false;
            if (!stopping) {
                LOG.warn("The envelope stream of nozzle {} ended", name);
            }
        }
    }
}
