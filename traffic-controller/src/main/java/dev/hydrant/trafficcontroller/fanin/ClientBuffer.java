package dev.hydrant.trafficcontroller.fanin;

import dev.hydrant.plumbing.buffer.DropOldestBuffer;
import io.micrometer.core.instrument.Counter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.cloudfoundry.loggregator.v2.Envelope;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

/**
 * The bounded buffer between the fan-in and one client: it holds {@code capacity} envelopes and
 * drops the oldest when full, counting every loss ({@code dropped{direction=egress}}). Producers
 * (gRPC threads of the Doppler streams) never wait. The client takes envelopes only as fast as
 * it asks for them, so memory per client is bounded whatever the client does; how long the
 * client has kept envelopes waiting tells a slow consumer.
 */
public final class ClientBuffer {

    private final DropOldestBuffer<Envelope> buffer;
    private volatile Runnable onData = () -> { };
    private volatile long waitingSinceNanos = System.nanoTime();

    /** @param dropped counts envelopes lost because this client did not take them in time */
    public ClientBuffer(int capacity, Counter dropped) {
        Objects.requireNonNull(dropped, "dropped");
        this.buffer = new DropOldestBuffer<>(capacity, dropped::increment);
    }

    /** Adds a batch, dropping the oldest envelopes if full. Never blocks, never throws. */
    public void offer(List<Envelope> batch) {
        if (buffer.offerAll(batch)) {
            waitingSinceNanos = System.nanoTime();
        }
        onData.run();
    }

    /** Moves up to {@code max} envelopes into {@code sink} without waiting. */
    public int drainTo(List<Envelope> sink, int max) {
        int n = buffer.drainTo(sink, max);
        if (n > 0) {
            waitingSinceNanos = System.nanoTime();
        }
        return n;
    }

    /** Runs {@code listener} after each offer (on the offering thread); it must be quick. */
    public void onData(Runnable listener) {
        this.onData = Objects.requireNonNull(listener, "listener");
    }

    /** How long the oldest waiting envelopes have waited for the client to take anything; 0 when empty. */
    public long stalledNanos(long nowNanos) {
        return buffer.size() == 0 ? 0 : Math.max(0, nowNanos - waitingSinceNanos);
    }

    public int size() {
        return buffer.size();
    }

    public long dropped() {
        return buffer.dropped();
    }

    /** The envelopes, one per signal, drained only as the subscriber requests them. */
    public Flux<Envelope> envelopes(int maxPerDrain) {
        return Flux.create(sink -> new Drain<Envelope>(sink, maxPerDrain, false).attach(), FluxSink.OverflowStrategy.ERROR);
    }

    /** Batches of up to {@code maxBatch} envelopes, drained only as the subscriber requests them. */
    public Flux<List<Envelope>> batches(int maxBatch) {
        return Flux.create(sink -> new Drain<List<Envelope>>(sink, maxBatch, true).attach(), FluxSink.OverflowStrategy.ERROR);
    }

    private final class Drain<T> {
        private final FluxSink<T> sink;
        private final int max;
        private final boolean batches;
        private final AtomicInteger wip = new AtomicInteger();

        Drain(FluxSink<T> sink, int max, boolean batches) {
            this.sink = sink;
            this.max = max;
            this.batches = batches;
        }

        void attach() {
            onData(this::drain);
            sink.onRequest(n -> drain());
            sink.onDispose(() -> onData(() -> { }));
        }

        @SuppressWarnings("unchecked")
        void drain() {
            if (wip.getAndIncrement() != 0) {
                return;
            }
            int missed = 1;
            do {
                while (!sink.isCancelled()) {
                    long requested = sink.requestedFromDownstream();
                    if (requested <= 0) {
                        break;
                    }
                    int want = batches ? max : (int) Math.min(requested, max);
                    List<Envelope> taken = new ArrayList<>(Math.min(want, 128));
                    if (drainTo(taken, want) == 0) {
                        break;
                    }
                    if (batches) {
                        sink.next((T) taken);
                    } else {
                        for (Envelope envelope : taken) {
                            sink.next((T) envelope);
                        }
                    }
                }
                missed = wip.addAndGet(-missed);
            } while (missed != 0);
        }
    }
}
