package dev.hydrant.metron.ingress;

import dev.hydrant.metron.tagging.EnvelopeTagger;
import dev.hydrant.plumbing.buffer.DropOldestBuffer;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.Counter;
import java.util.List;
import java.util.Objects;
import org.cloudfoundry.loggregator.v2.BatchSenderResponse;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.EnvelopeBatch;
import org.cloudfoundry.loggregator.v2.IngressGrpc;
import org.cloudfoundry.loggregator.v2.IngressResponse;
import org.cloudfoundry.loggregator.v2.SendResponse;

/**
 * {@code loggregator.v2.Ingress} as emitters on the host see it. Every received envelope is
 * tagged and offered to the agent's drop-oldest buffer, so an emitter is never blocked: when
 * the buffer is full the oldest waiting envelope is dropped (counted by the buffer's owner).
 *
 * <p>{@code BatchSender} and {@code Send} work a batch at a time (one tagging pass and one
 * {@code offerAll} per received batch); {@code Sender} carries one envelope per message and is
 * handled per message.
 */
public final class IngressService extends IngressGrpc.IngressImplBase {

    private final EnvelopeTagger tagger;
    private final DropOldestBuffer<Envelope> buffer;
    private final Counter ingress;

    /**
     * @param ingress counted up by the number of envelopes received
     */
    public IngressService(EnvelopeTagger tagger, DropOldestBuffer<Envelope> buffer, Counter ingress) {
        this.tagger = Objects.requireNonNull(tagger, "tagger");
        this.buffer = Objects.requireNonNull(buffer, "buffer");
        this.ingress = Objects.requireNonNull(ingress, "ingress");
    }

    /** Accepts a batch from the agent itself (its self-metrics), exactly as a received one. */
    public void accept(List<Envelope> envelopes) {
        if (envelopes.isEmpty()) {
            return;
        }
        ingress.increment(envelopes.size());
        buffer.offerAll(tagger.tag(envelopes));
    }

    /**
     * Accepts a batch from the agent's own collectors (scraped Prometheus metrics, container metrics):
     * tagged and counted as a received one, but its counters keep the totals they carry.
     */
    public void acceptWithTotals(List<Envelope> envelopes) {
        if (envelopes.isEmpty()) {
            return;
        }
        ingress.increment(envelopes.size());
        buffer.offerAll(tagger.tagKeepingTotals(envelopes));
    }

    @Override
    public StreamObserver<Envelope> sender(StreamObserver<IngressResponse> response) {
        return new Inbound<>(response, IngressResponse.getDefaultInstance()) {
            @Override
            public void onNext(Envelope envelope) {
                ingress.increment();
                buffer.offer(tagger.tag(envelope));
            }
        };
    }

    @Override
    public StreamObserver<EnvelopeBatch> batchSender(StreamObserver<BatchSenderResponse> response) {
        return new Inbound<>(response, BatchSenderResponse.getDefaultInstance()) {
            @Override
            public void onNext(EnvelopeBatch batch) {
                accept(batch.getBatchList());
            }
        };
    }

    @Override
    public void send(EnvelopeBatch batch, StreamObserver<SendResponse> response) {
        accept(batch.getBatchList());
        response.onNext(SendResponse.getDefaultInstance());
        response.onCompleted();
    }

    /** A client stream: answered with the empty response when the emitter closes it. */
    private abstract static class Inbound<T, R> implements StreamObserver<T> {

        private final StreamObserver<R> response;
        private final R done;

        Inbound(StreamObserver<R> response, R done) {
            this.response = response;
            this.done = done;
        }

        @Override
        public void onError(Throwable t) {
            // the emitter went away: what it sent is already buffered, nothing to answer
        }

        @Override
        public void onCompleted() {
            response.onNext(done);
            response.onCompleted();
        }
    }
}
